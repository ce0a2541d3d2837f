"""The audit log speaks the SDK's vocabulary: every verb recorded is one of `strongdm.constants.ActivityVerb`."""

import pytest

from sim.store import Store
from sim.strongdm import create_app
from sim.strongdm.api_keys import ApiKeys
from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import FAST
from tests.strongdm.admin.helpers import login
from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import TOKEN
from tests.strongdm.receiver.helpers import create_group
from tests.strongdm.receiver.helpers import create_user

constants = pytest.importorskip("strongdm.constants")
VERBS = {value for name, value in vars(constants.ActivityVerb).items() if not name.startswith("_")}


@pytest.mark.parametrize("org_model", ["roles", "groups"])
def test_every_recorded_verb_is_the_sdks(org_model):
    store = Store(None, synchronous="OFF")
    app = create_app(store, token=TOKEN, settings={**FAST, "STRONGDM_ORG_MODEL": org_model})
    sdm = app.extensions["strongdm"]
    sdm.ensure_admin(*ADMIN)
    client = app.test_client()
    login(client, *ADMIN)
    keys = ApiKeys(sdm.store, sdm.activities)
    keys.revoke_api_key(keys.create_api_key("ci")["access_key"])
    user = create_user(client)
    group = create_group(client, "Eng", [user["id"]])
    client.delete(f"/provisioning/generic/v2/Groups/{group['id']}", headers=AUTH)
    client.delete(f"/provisioning/generic/v2/Users/{user['id']}", headers=AUTH)
    recorded = {a["activity"] for a in sdm.activities.list(limit=-1)}
    assert recorded - VERBS == set()
    assert {"user logged into the Admin UI", "admin token created", "API key deleted"} <= recorded
    store.close()


def test_what_the_simulator_seeds_is_not_credited_to_scim_provisioning():
    store = Store(None, synchronous="OFF")
    app = create_app(store, token=TOKEN, settings=FAST)
    app.extensions["strongdm"].ensure_admin(*ADMIN)
    seeded = app.extensions["strongdm"].activities.list(limit=-1)
    assert {a["activity"] for a in seeded} >= {"SCIM token created", "user added"}
    assert {a["actorName"] for a in seeded} == {"StrongDM Simulator"}
    store.close()

"""The suite's one global: the tests written before StrongDM's Groups model run under the `roles` org model.

Set before any app is built, so in-process apps and `sim` subprocesses alike see it; the groups-model tests pass
`STRONGDM_ORG_MODEL="groups"` (settings, the `sim` marker or `--org-model`), which wins over the environment.
"""

import os

os.environ.setdefault("SIM_STRONGDM_ORG_MODEL", "roles")

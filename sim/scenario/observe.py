"""What reached StrongDM: its SCIM view (`/Users`, `/Groups`, every page) before and after each segment, diffed."""

import requests

PAGE = 100
TIMEOUT = 60
SKIPPED = frozenset({"id", "meta", "groups", "schemas"})  # bookkeeping, not what a client changed


def _list(session: requests.Session, url: str) -> list[dict]:
    """Every resource of a SCIM list (RFC 7644 §3.4.2.4 paging)."""
    out, start = [], 1
    while True:
        response = session.get(url, params={"startIndex": start, "count": PAGE}, timeout=TIMEOUT)
        response.raise_for_status()
        page = response.json()
        got = page.get("Resources") or []
        out += got
        start += len(got)
        if not got or start > page.get("totalResults", 0):
            return out


def _changed(before: dict, after: dict) -> list[str]:
    """The attributes a client changed (`active` has its own lists; ids, meta and groups are bookkeeping)."""
    return sorted(k for k in set(before) | set(after)
                  if k not in SKIPPED and k != "active" and before.get(k) != after.get(k))


def diff(before: dict, after: dict) -> dict:
    """Changes between two snapshots: users created/deleted/suspended/reactivated/updated, groups and members."""
    bu, au, bg, ag = before["users"], after["users"], before["groups"], after["groups"]
    changes = {
        "users_created": sorted(au[i]["userName"] for i in au.keys() - bu.keys()),
        "users_deleted": sorted(bu[i]["userName"] for i in bu.keys() - au.keys()),
        "users_suspended": sorted(au[i]["userName"] for i in au.keys() & bu.keys()
                                  if bu[i].get("active") and not au[i].get("active")),
        "users_reactivated": sorted(au[i]["userName"] for i in au.keys() & bu.keys()
                                    if not bu[i].get("active") and au[i].get("active")),
        "users_updated": sorted(f"{au[i]['userName']}: {', '.join(changed)}" for i in au.keys() & bu.keys()
                                if (changed := _changed(bu[i], au[i]))),
        "groups_created": sorted(ag[i]["displayName"] for i in ag.keys() - bg.keys()),
        "groups_deleted": sorted(bg[i]["displayName"] for i in bg.keys() - ag.keys()),
        "groups_renamed": sorted(f"{bg[i]['displayName']} -> {ag[i]['displayName']}" for i in ag.keys() & bg.keys()
                                 if ag[i]["displayName"] != bg[i]["displayName"]),
        "members_added": sorted(f"{ag[i]['displayName']}: {after['names'].get(m, m)}" for i in ag.keys()
                                for m in ag[i]["members"] - (bg[i]["members"] if i in bg else set())),
        "members_removed": sorted(f"{bg[i]['displayName']}: {before['names'].get(m, m)}" for i in bg.keys() & ag.keys()
                                  for m in bg[i]["members"] - ag[i]["members"]),
    }
    totals = {"users": len(au), "active": sum(1 for u in au.values() if u.get("active")), "groups": len(ag)}
    return {"changes": changes, "totals": totals}


class StrongDMView:
    """Reads StrongDM's SCIM view with the Bearer token; each call returns `{"strongdm": diff since the last}`."""

    def __init__(self, scim_base_url: str, token: str, *, session: requests.Session | None = None):
        self.base = scim_base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.trust_env = False  # loopback: never through a proxy from the environment
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.last = self.snapshot()

    def snapshot(self) -> dict:
        """`{"users": id -> User, "groups": id -> {displayName, members}, "names": id -> userName}`."""
        users = {u["id"]: u for u in _list(self.session, f"{self.base}/Users")}
        groups = {g["id"]: {"displayName": g.get("displayName"),
                            "members": {m.get("value") for m in g.get("members") or []}}
                  for g in _list(self.session, f"{self.base}/Groups")}
        return {"users": users, "groups": groups, "names": {i: u.get("userName") for i, u in users.items()}}

    def __call__(self) -> dict:
        now = self.snapshot()
        seen, self.last = diff(self.last, now), now
        return {"strongdm": seen}

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()

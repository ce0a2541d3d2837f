"""The directory in other formats beside the JSON fixture set: JumpCloud import CSV, inetOrgPerson LDIF, SCIM NDJSON."""

import base64
import csv
import io

from sim.inspect.exchange import jsonl_text

FORMATS = ("json", "csv", "ldif", "scim")
# Columns of JumpCloud's user-import CSV template ("Import Users from a CSV File", JumpCloud support);
# work address and phone columns as the template names them. Assumed where the template is not public.
CSV_COLUMNS = (
    "firstname", "middlename", "lastname", "username", "email", "displayname", "alternateEmail", "jobTitle",
    "employeeIdentifier", "employeeType", "department", "costCenter", "company", "location", "description",
    "manager", "state", "work_streetAddress", "work_locality", "work_region", "work_postalCode", "work_country",
    "work_number", "mobile_number",
)


def _phone(user: dict, kind: str) -> str:
    return next((p["number"] for p in user.get("phoneNumbers") or [] if p.get("type") == kind), "")


def csv_text(users: list[dict]) -> str:
    """One row per systemuser; `manager` is the manager's username, as the import expects a user reference."""
    by_id = {u["_id"]: u["username"] for u in users}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u in users:
        address = (u.get("addresses") or [{}])[0]
        row = {**u, "manager": by_id.get(u.get("manager"), ""), "work_number": _phone(u, "work"),
               "mobile_number": _phone(u, "mobile"),
               **{f"work_{k}": address.get(k, "") for k in ("streetAddress", "locality", "region", "postalCode",
                                                              "country")}}
        writer.writerow(["" if row.get(c) is None else row.get(c, "") for c in CSV_COLUMNS])
    return buf.getvalue()


def _ldif_line(attribute: str, value: str) -> str:
    """`attr: value`, or `attr:: base64` when the value is not safe ASCII (RFC 2849 SAFE-STRING)."""
    safe = value.isascii() and value.isprintable() and not value.startswith((" ", ":", "<"))
    if safe and not value.endswith(" "):
        return f"{attribute}: {value}"
    return f"{attribute}:: {base64.b64encode(value.encode()).decode()}"


def ldif_text(users: list[dict], groups: list[dict], members: dict[str, list], domain: str) -> str:
    """inetOrgPerson entries (RFC 2798) under ou=Users and groupOfNames (RFC 4519) under ou=Groups."""
    base = ",".join(f"dc={part}" for part in domain.split("."))
    dn = {u["_id"]: f"uid={u['username']},ou=Users,{base}" for u in users}
    out = ["version: 1", ""]
    for u in users:
        lines = [f"dn: {dn[u['_id']]}", "objectClass: top", "objectClass: person", "objectClass: organizationalPerson",
                 "objectClass: inetOrgPerson", _ldif_line("uid", u["username"]),
                 _ldif_line("cn", u["displayname"] or u["username"]), _ldif_line("sn", u["lastname"] or u["username"])]
        for attr, key in (("givenName", "firstname"), ("displayName", "displayname"), ("mail", "email"),
                          ("title", "jobTitle"), ("departmentNumber", "department"),
                          ("employeeNumber", "employeeIdentifier"), ("employeeType", "employeeType"),
                          ("l", "location")):
            if u.get(key):
                lines.append(_ldif_line(attr, u[key]))
        lines += [_ldif_line("telephoneNumber", p["number"]) for p in u.get("phoneNumbers") or []]
        if u.get("manager") in dn:
            lines.append(_ldif_line("manager", dn[u["manager"]]))
        out += lines + [""]
    for g in groups:
        ids = [m["to"]["id"] for m in members.get(g["id"], [])]
        # groupOfNames needs one member at least; an empty group gets the conventional empty DN.
        out += [_ldif_line("dn", f"cn={g['name']},ou=Groups,{base}"), "objectClass: top",
                "objectClass: groupOfNames", _ldif_line("cn", g["name"])]
        out += [_ldif_line("member", dn[i]) for i in ids if i in dn] or ["member: "]
        out.append("")
    return "\n".join(out)


def format_texts(formats: tuple[str, ...], docs: dict[str, object], domain: str) -> dict[str, str]:
    """Extra files for the non-JSON formats, from the JSON documents the export read."""
    users = docs["jumpcloud/systemusers.json"]["results"]
    texts = {}
    if "csv" in formats:
        texts["jumpcloud/systemusers.csv"] = csv_text(users)
    if "ldif" in formats:
        texts["jumpcloud/directory.ldif"] = ldif_text(users, docs["jumpcloud/usergroups.json"],
                                                      docs["jumpcloud/usergroup_members.json"], domain)
    if "scim" in formats:
        texts["strongdm/scim/Users.ndjson"] = jsonl_text(docs["strongdm/scim/Users.json"]["Resources"])
        texts["strongdm/scim/Groups.ndjson"] = jsonl_text(docs["strongdm/scim/Groups.json"]["Resources"])
    return texts

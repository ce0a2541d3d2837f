"""List who holds which StrongDM role, flagging IdP-managed and suspended accounts."""
import os

import strongdm

host = os.environ.get("SDM_API_HOST", "app.strongdm.com:443")
client = strongdm.Client(os.environ["SDM_API_ACCESS_KEY"], os.environ["SDM_API_SECRET_KEY"],
                         host=host, insecure=host.startswith(("127.0.0.1:", "localhost:")))
users = {u.id: u for u in client.accounts.list("type:user")}
for role in client.roles.list(""):
    print(f"{role.name} ({role.managed_by or 'StrongDM'})")
    for attachment in client.account_attachments.list("roleid:?", role.id):
        user = users[attachment.account_id]
        flags = ", ".join(f for f in (user.managed_by and f"managed by {user.managed_by}",
                                      user.suspended and "suspended") if f)
        print(f"  {user.email}{f'  [{flags}]' if flags else ''}")
print(f"{len(users)} users, {len(list(client.accounts.list('suspended:true')))} suspended")

"""StrongDM's SCIM receiver at /provisioning/{generic,okta,azure}/v2."""

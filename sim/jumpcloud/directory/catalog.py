"""The SSO application catalog the mock org is seeded from (StrongDM first); URLs are the vendors' public ones.

Shapes follow the console spec's `application` schema (TheJumpCloud/jumpcloud-docs-public
docs/new/console/index.yaml): `color` from its enum (the nearest to each vendor's brand colour), config items
without `toggle` (the spec leaves it untyped and JumpCloud's catalog connectors do not need it).
"""

import hashlib


def _config(acs_url: str, entity_id: str) -> dict:
    """A SAML connector config in JumpCloud's `{field: {label, type, value, …}}` shape (trimmed)."""
    def item(label, value, position):
        return {"label": label, "type": "text", "value": value, "position": position,
                "readOnly": False, "required": True, "visible": True}
    return {
        "idpEntityId": item("IdP Entity ID", "JumpCloud", 1),
        "spEntityId": item("SP Entity ID", entity_id, 2),
        "acsUrl": item("ACS URL", acs_url, 3),
        "constantAttributes": {"label": "Constant Attributes", "type": "list", "value": [], "position": 4,
                               "readOnly": False, "required": False, "visible": True},
    }


CATALOG: tuple[dict, ...] = (
    {
        "name": "strongdm",
        "displayName": "StrongDM",
        "displayLabel": "StrongDM",
        "description": "Infrastructure access platform: SSO by SAML, users and roles by SCIM 2.0.",
        "ssoUrl": "https://sso.jumpcloud.com/saml2/strongdm",
        "learnMore": "https://jumpcloud.com/support/integrate-with-strongdm",
        "color": "#202D38",
        "config": _config("https://app.strongdm.com/saml/consume", "https://app.strongdm.com/saml/metadata"),
        "provisioning": {"type": "scim", "baseUrl": "https://app.strongdm.com/provisioning/generic/v2"},
    },
    {
        "name": "slack",
        "displayName": "Slack",
        "displayLabel": "Slack",
        "description": "Team messaging.",
        "ssoUrl": "https://sso.jumpcloud.com/saml2/slack",
        "learnMore": "https://jumpcloud.com/support/integrate-with-slack",
        "color": "#7C6ADA",
        "config": _config("https://example.slack.com/sso/saml", "https://slack.com"),
    },
    {
        "name": "github",
        "displayName": "GitHub",
        "displayLabel": "GitHub",
        "description": "Source code hosting.",
        "ssoUrl": "https://sso.jumpcloud.com/saml2/github",
        "learnMore": "https://jumpcloud.com/support/integrate-with-github",
        "color": "#202D38",
        "config": _config("https://github.com/orgs/example/saml/consume", "https://github.com/orgs/example"),
    },
    {
        "name": "aws",
        "displayName": "AWS IAM Identity Center",
        "displayLabel": "AWS",
        "description": "Amazon Web Services console access.",
        "ssoUrl": "https://sso.jumpcloud.com/saml2/aws",
        "learnMore": "https://jumpcloud.com/support/integrate-with-aws-iam-identity-center",
        "color": "#FFB000",
        "config": _config("https://signin.aws.amazon.com/saml", "urn:amazon:webservices"),
    },
    {
        "name": "zoom",
        "displayName": "Zoom",
        "displayLabel": "Zoom",
        "description": "Video meetings.",
        "ssoUrl": "https://sso.jumpcloud.com/saml2/zoom",
        "learnMore": "https://jumpcloud.com/support/integrate-with-zoom",
        "color": "#006CAC",
        "config": _config("https://example.zoom.us/saml/SSO", "example.zoom.us"),
    },
    {
        "name": "bookmark",
        "displayName": "Bookmark",
        "displayLabel": "Company Handbook",
        "description": "A bookmark in the user portal: no SSO, just a link.",
        "ssoUrl": "https://handbook.example.com/",
        "learnMore": "https://handbook.example.com/",
        "color": "#3E8696",
        "config": {"url": {"label": "Bookmark URL", "type": "text", "value": "https://handbook.example.com/",
                           "position": 1, "readOnly": False, "required": True, "visible": True}},
    },
)


def template(name: str) -> dict | None:
    """The catalog entry with this connector name, if any."""
    return next((dict(t) for t in CATALOG if t["name"] == name), None)


def seeded_app_id(org_id: str, name: str) -> str:
    """Catalog apps get ids derived from the org id, so the same seed gives the same app ids."""
    return hashlib.sha256(f"{org_id}:application:{name}".encode()).hexdigest()[:24]

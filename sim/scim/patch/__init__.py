"""SCIM PATCH (RFC 7644 §3.5.2): operations applied to a resource dict."""

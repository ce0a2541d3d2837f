"""Processes and state dirs: `sim up`, `sim strongdm`, `sim jumpcloud`, status and reset, endpoints.json."""

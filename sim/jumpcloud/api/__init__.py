"""JumpCloud's REST API blueprints: v1, v2 and Directory Insights."""

"""JumpCloud's Identity Management: settings, sync decisions, durable queue, SCIM client, worker."""

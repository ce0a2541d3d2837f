"""StrongDM's SDK API over gRPC, for the official `strongdm` Python SDK."""

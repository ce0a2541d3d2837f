"""Offline simulator of JumpCloud -> StrongDM user provisioning over SCIM 2.0."""

__version__ = "0.1.0"

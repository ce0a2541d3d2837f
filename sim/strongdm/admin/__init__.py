"""The mock StrongDM Admin UI: login, Users, Roles, Activities, Settings."""

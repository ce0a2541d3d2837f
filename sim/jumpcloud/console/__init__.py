"""The mock JumpCloud Console: login, Users, User Groups, SSO apps and Identity Management."""

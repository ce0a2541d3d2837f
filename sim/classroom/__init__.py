"""`sim classroom`: N isolated sandboxes (seats) in one process, and the trainer page that watches them.

seats: start and stop the seats (each a `sim up` pair with its own state dir, logins and ports); progress: where
each seat is in the seed guide, from its audit log and Directory Insights; trainer: the trainer's page (its own
login), with the printable handout and reset per seat or for all; command: the click command.
"""

"""A state dir's own bookkeeping: private files (0600, atomic), the lock a running sandbox holds, and the
credentials kept in the state so endpoints.json is only an output."""

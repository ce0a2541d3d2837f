"""The simulator's tests, in folders that mirror sim/."""

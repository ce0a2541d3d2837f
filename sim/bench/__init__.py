"""`sim bench`: the simulator's speed on loopback beside a floor measured in the same run."""

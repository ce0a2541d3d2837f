"""pytest plugin: fixtures that run the simulator's apps on ephemeral loopback ports."""

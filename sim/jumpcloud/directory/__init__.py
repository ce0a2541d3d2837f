"""JumpCloud's directory: the only reader and writer of the jc_* tables."""

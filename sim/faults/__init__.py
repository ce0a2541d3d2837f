"""Product-blind fault injection: rules, the WSGI middleware, `/_sim/faults`, CLI options."""

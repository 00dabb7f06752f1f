"""Progress layer: the learner's saved state (store, vocabulary of namespaces and keys, scheduling, readiness)."""

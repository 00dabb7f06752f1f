"""The practice lab: coding cases, their scoring and their widgets."""

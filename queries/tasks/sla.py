"""SLA tasks (being built)."""

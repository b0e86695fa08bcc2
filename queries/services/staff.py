"""Query services: staff (being built)."""

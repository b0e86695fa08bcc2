"""Query services: resident (being built)."""

"""Query services: sla (being built)."""

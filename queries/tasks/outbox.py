"""Outbox tasks (being built)."""

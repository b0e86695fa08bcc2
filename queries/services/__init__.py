"""Everything that changes a query, split by who acts: the resident, staff, the SLA sweep, and
the email outbox they all write to."""

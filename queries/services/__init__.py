"""Everything that changes a query, split by who acts: the resident, staff and the SLA sweep;
and the emails about a query they all send."""

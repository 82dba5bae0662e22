"""Use cases: each call is one or more transactions against the unit of work (a Session)."""

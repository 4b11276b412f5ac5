"""The audit trail of every official's and administrator's action."""

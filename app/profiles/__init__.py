"""A candidate's expression of interest: submitted, scored on every read, renewed, withdrawn."""

"""The public pages (no sign-in): what the pool is, the points, the rounds, the pool, the states."""

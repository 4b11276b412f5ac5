"""Plain reference readings the fast paths of `app` are tested against."""

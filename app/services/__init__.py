"""What the service does, independent of HTTP: each function takes the session it works in."""

"""Accounts: registration, passwords, bearer tokens, sign-in throttling, and who is calling."""

"""`python -m ranking allocate`: placeholder until the allocation lands."""


def register(commands) -> None:
    """Add the sub-command to the parser."""

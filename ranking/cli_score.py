"""`python -m ranking score` and `python -m ranking grids`: placeholder until the engine lands."""


def register(commands) -> None:
    """Add the sub-commands to the parser."""

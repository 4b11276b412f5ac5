"""The two kinds of bad input the core reports: a bad grid file and a bad profile.

Both carry enough structure (file, factor, profile index, field) for a caller to point a person
at the exact place to fix, and a message that already says it in words.
"""
from __future__ import annotations


class GridError(ValueError):
    """A grid or overlay that cannot be used: names the file, the item in it, and the problem."""

    def __init__(self, source: str, where: str, problem: str):
        self.source = source
        self.where = where
        self.problem = problem
        location = f"{source}: {where}" if where else source
        super().__init__(f"{location}: {problem}")


class ProfileError(ValueError):
    """A profile that does not fit the grid's input contract.

    `index` is the profile's position in the batch (0-based), `field` the dotted path of the
    offending value (e.g. "first_language.speaking", "languages[2].reading").
    """

    def __init__(self, index: int, field: str, message: str):
        self.index = index
        self.field = field
        self.message = message
        super().__init__(f"profile {index}: field {field}: {message}")

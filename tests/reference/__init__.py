"""Independent per-candidate scorers written straight from the official points tables.

They exist to check the numpy engine in `ranking/`: they never read `ranking/grids/`, so a wrong
number in a grid file shows up as a disagreement instead of being copied into the expectation.
Plain loops and dictionaries on purpose; speed does not matter here, readability does.
"""

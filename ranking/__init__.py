"""The points-and-allocation core of Talent Pool: pure numpy, no web, no database.

    grid = ranking.load_grid("crs")     # a preset name or a path to a grid file
    columns = grid.encode(profiles)     # validated, small-integer columns
    scores = grid.score(columns)        # totals, breakdown, eligibility with reasons
    records = grid.encode_records(profiles)   # the same as one packed record each (grid.record_dtype)
    grid.score(grid.columns_from_records(records))   # zero-copy views; grid.decode(records[0]) -> profile
    result = ranking.allocate(...)      # deferred acceptance across member states (see allocation)
"""
from ranking.allocation import Allocation, allocate
from ranking.constants import NO_SCORE
from ranking.errors import GridError, ProfileError
from ranking.grid.engine import Grid
from ranking.grid.presets import load_grid, preset_names, validate_overlay
from ranking.grid.scores import Scores

__all__ = ["Allocation", "Grid", "GridError", "NO_SCORE", "ProfileError", "Scores", "allocate", "load_grid",
           "preset_names", "validate_overlay"]

"""Between a profile as a candidate writes it (its document) and the engine's record of it.

Encoding is the engine's (`grid.encode_records`), so the stored record is exactly what it
scores; nothing here knows a field of the contract by name.
"""
from __future__ import annotations

import numpy as np
import ranking

from app import clock
from app.errors import InvalidInput, field_errors, field_path
from app.profiles.models import Profile


def encode(grid, document: dict, service_inputs: dict | None = None) -> np.ndarray:
    """A validated document as a (1,) array of `grid.record_dtype`, as it would be stored.

    `service_inputs` are the inputs the service sets beside the candidate's document (the verified
    job offer, `hiring.verified_offers.engine_inputs`); without them they take the grid's defaults.
    The engine's objections (say, a birth date in the future) become 422s on the named field."""
    try:
        return grid.encode_records([{**document, **(service_inputs or {})}], as_of=clock.today())
    except ranking.ProfileError as error:
        raise InvalidInput(f"{error.field}: {error.message}", field_errors(field_path(error.field), error.message)) \
            from None


def stored(grid, document: dict, service_inputs: dict | None = None) -> dict:
    """The `profile` values for a validated document: it (as the candidate wrote it), its record (with
    `service_inputs`), the grid contract of the record."""
    return {"document": document, "record": encode(grid, document, service_inputs).tobytes(),
            "record_grid": grid.record_version}


def records_of(grid, profile: Profile, service_inputs: dict | None = None) -> np.ndarray:
    """The profile as a (1,) array of `grid.record_dtype`: its stored record, or (encoded under another
    grid contract) its document encoded again, with `service_inputs`."""
    if profile.record_grid == grid.record_version:
        return grid.records_from_bytes(profile.record)
    return grid.encode_records([{**profile.document, **(service_inputs or {})}], as_of=clock.today())

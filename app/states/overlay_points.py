"""The schema of an overlay's `points`, generated from the grid's state factors.

An official may re-weight each per-state addition, never beyond the common grid's largest entry
for it (`ranking.grid.states._check_override`), in the shape of the grid's own table: one entry
per label (a language level), one per band (years in a shortage occupation), or one number (a
job offer). The engine judges a saved overlay; this schema says the same in the OpenAPI document,
so that a request the document calls valid is accepted (issue 9). One rule JSON Schema cannot
state is in the field's description: for banded points, the first band (nothing matching) gives 0.
"""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from app.base_schema import Schema


def _most(points) -> int:
    """The common grid's largest entry of a factor's points table."""
    if isinstance(points, dict):
        return max(points.values())
    if isinstance(points, list):
        return max(points)
    return int(points)


def _factor_field(grid, name: str, spec: dict) -> fields.Field:
    most = _most(spec["points"])
    entry = validate.Range(0, most, error=f"At most {most} points, the common grid's largest for {name}.")
    description = f"{spec.get('description', '')} Each entry 0 to {most} points.".strip()
    points = spec["points"]
    if isinstance(points, dict):  # by label of the items' level
        level = type(f"{name.title().replace('_', '')}PointsSchema", (Schema,),
                     {label: fields.Integer(required=True, strict=True, validate=entry) for label in points})
        return fields.Nested(level, metadata={"description": description + " One entry per level."})
    if isinstance(points, list):  # by band
        bands = spec["bands"]
        return fields.List(fields.Integer(strict=True, validate=entry), validate=validate.Length(equal=len(bands)),
                           metadata={"description": f"{description} One per band of {bands} (lower bounds); "
                                                    "the first band, nothing matching, must give 0."})
    return fields.Integer(strict=True, validate=entry, metadata={"description": description})


def points_schema(grid) -> type[Schema]:
    """A Schema class for `points`: one optional field per state factor of `grid`."""
    specs = grid.states.factor_specs
    attrs = {name: _factor_field(grid, name, spec) for name, spec in specs.items()}
    banded = [name for name, spec in specs.items() if isinstance(spec["points"], list)]

    def first_band_gives_nothing(self, data, **_kwargs):
        for name in banded:
            if data.get(name) and data[name][0] != 0:
                raise ValidationError({"0": ["The first band (nothing matching) must give 0 points."]}, name)

    attrs["_first_band_gives_nothing"] = validates_schema(first_band_gives_nothing)
    attrs["__doc__"] = "Overrides of the state's additions; each entry at most the common grid's largest."
    return type("OverlayPointsSchema", (Schema,), attrs)

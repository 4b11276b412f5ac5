"""The marshmallow schema of a grid's input contract, generated from the grid itself.

The grid file is the one place that says which fields a profile has, which values an enum
takes, the range of a number and how long a list may be; the API's schema (and through it the
OpenAPI document: `enum`, `minimum`/`maximum`, `minItems`/`maxItems`) is built from it here, so
raising "at most 6 languages" to 8 in `eu.toml`, or adding an input, changes the API with no
Python change. What the grid cannot say — the words a person reads — comes from a `Wording`.

The rules, by input type: int → strict Integer with a Range; bool → StrictBoolean (absent:
false); enum → String, OneOf its labels; date → an ISO date string (loaded as the same string:
the document keeps the contract's own form); code → String of exactly its digits. An object is
a nested schema (a nullable one: absent or null is null); a list is a List with its Length
(min 0: absent is the empty list), and a list marked `unique` is checked for repeats. Anything
else is required. A loaded body is therefore already the profile document, every field present.

One rule crosses fields and so is given beside the grid, as a `WorkingAge`: no list item's years
may exceed the age (from a date input, on today's date) less the age work starts at. A
19-year-old claiming 20 years of experience is refused with a message on that item's `years`,
instead of getting full points.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import datetime as dt

from marshmallow import ValidationError, fields, validate, validates_schema
from ranking.grid.inputs import ListOf, Obj, Scalar

from app import clock
from app.base_schema import Schema, StrictBoolean


class IsoDate(fields.Date):
    """A date checked as `fields.Date` checks it, kept as its ISO string (`YYYY-MM-DD`).

    The engine takes dates from 1900 to today; the years are a pattern in the OpenAPI document
    (so a schema-valid date is one the engine takes), "not in the future" a sentence."""

    YEARS = re.compile(r"^(19|20)[0-9]{2}-")

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        note = "From 1900-01-01 to today."
        metadata["description"] = f"{metadata['description']} {note}" if "description" in metadata else note
        metadata["pattern"] = self.YEARS.pattern
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs).isoformat()
        if not self.YEARS.match(day):
            raise ValidationError("Use a date from 1900-01-01 to today.")
        return day

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


@dataclass(frozen=True)
class Wording:
    """What a person reads, by input path (`languages.language`, `preferences`, ...)."""

    errors: dict[str, str] = field(default_factory=dict)        # the message for a value not allowed
    descriptions: dict[str, str] = field(default_factory=dict)  # the OpenAPI description
    schema_names: dict[str, str] = field(default_factory=dict)  # the class name of an object's schema


@dataclass(frozen=True)
class WorkingAge:
    """Years of `years` (a list's `list.field` path) may not exceed the age on `birth` minus `from_age`."""

    birth: str
    years: str
    from_age: int
    message: str = "At most {limit} years: your age less {from_age}, the age work starts at."


def whole_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def schema_for(root: Obj, name: str, wording: Wording, doc: str = "", working_age: WorkingAge | None = None
               ) -> type[Schema]:
    """A Schema class for the input tree `root` (its nested schemas named after their paths)."""
    schema = _object_schema(root, name, "", wording, doc)
    if working_age is None:
        return schema
    return type(name, (schema,), {"__doc__": schema.__doc__,
                                  "_years_within_age": validates_schema(_working_age_check(working_age))})


def _working_age_check(rule: WorkingAge):
    list_name, item_field = rule.years.split(".")

    def check(self, data, **_kwargs):
        born, today = data.get(rule.birth), clock.today()
        if not born or dt.date.fromisoformat(born) > today:
            return  # a date of birth in the future is the engine's to refuse, on that field
        limit = max(0, whole_years(dt.date.fromisoformat(born), today) - rule.from_age)
        errors = {position: {item_field: [rule.message.format(limit=limit, from_age=rule.from_age)]}
                  for position, item in enumerate(data.get(list_name) or []) if item[item_field] > limit}
        if errors:
            raise ValidationError(errors, list_name)
    return check


def _object_schema(node: Obj, name: str, prefix: str, wording: Wording, doc: str = "") -> type[Schema]:
    attrs: dict = {"__doc__": doc or f"The input {prefix.rstrip('.') or 'profile'} as the grid declares it."}
    unique = {}
    for field_name, child in node.fields.items():
        path = prefix + field_name
        attrs[field_name] = _field(child, path, wording)
        if isinstance(child, ListOf) and child.unique:
            unique[field_name] = child.unique
    if unique:
        attrs["_lists_are_distinct"] = validates_schema(_distinct_check(unique))
    return type(name, (Schema,), attrs)


def _field(node, path: str, wording: Wording) -> fields.Field:
    options: dict = {}
    if path in wording.descriptions:
        options["metadata"] = {"description": wording.descriptions[path]}
    if isinstance(node, Scalar):
        if node.kind == "bool":
            options["load_default"] = False
        else:
            options["required"] = True
        return _scalar(node, path, wording, options)
    if isinstance(node, Obj):
        if node.nullable:
            options.update(allow_none=True, load_default=None)
        else:
            options["required"] = True
        return fields.Nested(_object_schema(node, _schema_name(path, wording), f"{path}.", wording), **options)
    if node.min_items == 0:
        options["load_default"] = list
    else:
        options["required"] = True
    items = (_scalar(node.items, path, wording, {}) if isinstance(node.items, Scalar) else
             fields.Nested(_object_schema(node.items, _schema_name(path, wording), f"{path}.", wording)))
    if node.unique:
        # Say in the OpenAPI document what `_distinct_check` refuses, so a schema-valid list is accepted:
        # uniqueItems where the items themselves are distinct, a sentence where one field of them is.
        metadata = options.setdefault("metadata", {})
        if isinstance(node.unique, str):
            note = f"No two items with the same {node.unique}."
            metadata["description"] = f"{metadata['description']} {note}" if "description" in metadata else note
        else:
            metadata["uniqueItems"] = True
    return fields.List(items, validate=validate.Length(node.min_items, node.max_items), **options)


def _scalar(scalar: Scalar, path: str, wording: Wording, options: dict) -> fields.Field:
    error = wording.errors.get(path)
    if scalar.kind == "int":
        return fields.Integer(strict=True, validate=validate.Range(scalar.minimum, scalar.maximum), **options)
    if scalar.kind == "bool":
        return StrictBoolean(**options)
    if scalar.kind == "enum":
        return fields.String(validate=validate.OneOf(scalar.labels, error=error), **options)
    if scalar.kind == "date":
        return IsoDate(**options)
    return fields.String(validate=validate.Regexp(
        rf"^[0-9]{{{scalar.digits}}}$", error=error or f"Use a code of {scalar.digits} digits."), **options)


def _schema_name(path: str, wording: Wording) -> str:
    return wording.schema_names.get(path) or "".join(part.title() for part in path.replace(".", "_").split("_")) + "Schema"


def _distinct_check(unique: dict[str, str | bool]):
    def check(self, data, **_kwargs):
        for name, key in unique.items():
            seen: set = set()
            for position, item in enumerate(data.get(name) or []):
                value = item[key] if isinstance(key, str) else item
                if value in seen:
                    message = [f"{value} is listed twice."]
                    raise ValidationError({position: {key: message} if isinstance(key, str) else message}, name)
                seen.add(value)
    return check

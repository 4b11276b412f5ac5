"""Validation of category definitions by the ranking core, which is what will apply them."""
from __future__ import annotations

from ranking.categories import Category

from app.errors import InvalidInput


def validate(definition: dict) -> None:
    """Let `ranking.categories.Category.from_dict` judge the definition; refusals become 422s."""
    if not definition:
        raise InvalidInput("A category needs at least one condition.",
                           {"json": {"definition": ["Give occupations, min_language or min_education_level."]}})
    try:
        Category.from_dict(definition)
    except (ValueError, TypeError, KeyError) as error:
        raise InvalidInput(f"The category was refused: {error}", {"json": {"definition": [str(error)]}}) from None

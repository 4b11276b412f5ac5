"""Employers and vacancies on the wire. A vacancy's requirements use the grid's own types: the
EQF range, the languages and CEFR levels and the years are read from the `eu` grid's inputs
(the ones a profile is checked against), never from a second list."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from app.accounts.schemas import PASSWORD
from app.base_schema import Schema
from app.employers.models import EmployerStatus, VacancyStatus
from app.occupations import isco
from app.states.codes import STATE_CODES, StateCode
from app.states.grid import shipped_grid

_INPUTS = shipped_grid().inputs.fields
_EQF = _INPUTS["education_level"]
_LANGUAGE = _INPUTS["languages"].items.fields
_YEARS = _INPUTS["experience"].items.fields["years"]
SKILLS = ("listening", "reading", "speaking", "writing")
LANGUAGES = _LANGUAGE["language"].labels
LEVELS = _LANGUAGE["listening"].labels
SCOPES = ("occupation", "group")
UNIT_GROUPS = tuple(group.code for group in isco.unit_groups())
# Some text that is not only spaces, without NUL (a pattern, so the OpenAPI document says it).
SOME_TEXT = r"^\s*[^\s\x00][^\x00]*$"


def text(most: int, **options) -> fields.String:
    return fields.String(required=True, validate=[validate.Length(1, most), validate.Regexp(
        SOME_TEXT, error="Required.")], **options)


class LanguageRequirementSchema(Schema):
    """A language and the lowest CEFR level wanted in each skill (null: that skill does not matter)."""

    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES, error=(
        "Use the ISO 639-1 code of an official EU language (or lb, tr).")))
    listening = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(LEVELS))
    reading = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(LEVELS))
    speaking = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(LEVELS))
    writing = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(LEVELS))


class RequirementsSchema(Schema):
    """What a candidate must have, in the grid's terms; null or absent: no requirement."""

    education_level = fields.Integer(strict=True, allow_none=True, load_default=None,
                                     validate=validate.Range(_EQF.minimum, _EQF.maximum),
                                     metadata={"description": "The lowest EQF level."})
    languages = fields.List(fields.Nested(LanguageRequirementSchema), load_default=list,
                            validate=validate.Length(0, _INPUTS["languages"].max_items),
                            metadata={"description": "No two items with the same language."})
    experience_years = fields.Integer(strict=True, allow_none=True, load_default=None,
                                      validate=validate.Range(_YEARS.minimum, _YEARS.maximum),
                                      metadata={"description": "The fewest years of experience."})
    experience_scope = fields.String(load_default="occupation", validate=validate.OneOf(SCOPES), metadata={
        "description": "occupation: years in the vacancy's own ISCO-08 unit group; group: in any unit group of "
                       "its minor group (the first three digits)."})

    @validates_schema
    def _distinct_languages(self, data, **_kwargs):
        seen = set()
        for position, item in enumerate(data.get("languages") or []):
            if item["language"] in seen:
                raise ValidationError({position: {"language": [f"{item['language']} is listed twice."]}}, "languages")
            seen.add(item["language"])


class VacancyInputSchema(Schema):
    """A vacancy as its employer writes it; its member state is the employer's."""

    occupation = fields.String(required=True, validate=validate.OneOf(UNIT_GROUPS, error=(
        "Use the 4-digit code of an ISCO-08 unit group, e.g. \"2512\".")), metadata={
        "description": "An ISCO-08 unit group."})
    title = text(200)
    description = text(5000)
    posts = fields.Integer(strict=True, required=True, validate=validate.Range(1, 10_000))
    location = text(200, metadata={"description": "The town or region of the workplace."})
    closing_date = fields.Date(required=True, metadata={
        "description": "From today to 366 days ahead; the vacancy closes after this day."})
    requirements = fields.Nested(RequirementsSchema, required=True)
    salary_min = fields.Integer(strict=True, allow_none=True, load_default=None,
                                validate=validate.Range(0, 10_000_000), metadata={"description": "Euros a year."})
    salary_max = fields.Integer(strict=True, allow_none=True, load_default=None,
                                validate=validate.Range(0, 10_000_000),
                                metadata={"description": "Euros a year; not below `salary_min`."})


class EmployerRegistrationSchema(Schema):
    """An organisation and its first person's account."""

    name = text(200)
    state = fields.String(required=True, validate=validate.OneOf(STATE_CODES),
                          metadata={"description": "The member state the organisation is established in."})
    registration_number = text(64, metadata={"description": "Its number in that state's business register."})
    contact_name = text(200, metadata={"description": "The person answering for the organisation."})
    address = text(500, metadata={"description": "The postal address of the establishment."})
    email = fields.Email(required=True, validate=validate.Length(max=254),
                         metadata={"description": "The first person's address: they sign in with it."})
    password = fields.String(required=True, load_only=True, validate=PASSWORD)


class InvitationInputSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class SuspensionInputSchema(Schema):
    reason = text(500, metadata={"description": "Told to the employer's people and kept in the audit trail."})


class EmployerSchema(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    name = fields.String(required=True)
    state = fields.String(required=True, attribute="state_code")
    registration_number = fields.String(required=True)
    contact_name = fields.String(required=True)
    address = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in EmployerStatus]))
    created_at = fields.AwareDateTime(required=True)
    verified_at = fields.AwareDateTime(allow_none=True, required=True)
    suspended_at = fields.AwareDateTime(allow_none=True, required=True)
    suspension_reason = fields.String(allow_none=True, required=True)


class MemberSchema(Schema):
    email = fields.String(required=True)
    email_verified_at = fields.AwareDateTime(allow_none=True, required=True, metadata={
        "description": "Null until they followed the mailed link (an invited colleague: chose a password)."})


class VacancyFieldsSchema(Schema):
    occupation = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    posts = fields.Integer(required=True)
    location = fields.String(required=True)
    closing_date = fields.Date(required=True)
    requirements = fields.Nested(RequirementsSchema, required=True)
    salary_min = fields.Integer(allow_none=True, required=True)
    salary_max = fields.Integer(allow_none=True, required=True)


class VacancySchema(VacancyFieldsSchema):
    """A vacancy as its employer and its state's officials see it."""

    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    state = fields.String(required=True, attribute="state_code")
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in VacancyStatus]))
    created_at = fields.AwareDateTime(required=True)
    published_at = fields.AwareDateTime(allow_none=True, required=True)
    closed_at = fields.AwareDateTime(allow_none=True, required=True)


class EmployerDetailSchema(EmployerSchema):
    vacancies = fields.List(fields.Nested(VacancySchema), required=True)


class PublicEmployerSchema(Schema):
    name = fields.String(required=True)
    reference = fields.String(required=True)


class PublicVacancySchema(VacancyFieldsSchema):
    """An open vacancy as candidates and the public see it: the employer's name, never its people."""

    reference = fields.String(required=True)
    state = fields.String(required=True)
    published_at = fields.AwareDateTime(required=True)
    employer = fields.Nested(PublicEmployerSchema, required=True)


class VacancyPageSchema(Schema):
    total = fields.Integer(required=True, metadata={"description": "Open vacancies matching the filters."})
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    vacancies = fields.List(fields.Nested(PublicVacancySchema), required=True)


class VacancyQuerySchema(Schema):
    state = StateCode()
    occupation = fields.String(validate=validate.Regexp(r"^[0-9]{1,4}$", error=(
        "An ISCO-08 code or its first digits: 1 to 4 digits.")), metadata={
        "description": "An ISCO-08 code or its first digits (`25`: ICT professionals)."})
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10_000))


class CountQuerySchema(Schema):
    state = StateCode()


class VacancyCountSchema(Schema):
    state = fields.String(required=True)
    occupation = fields.String(required=True)
    vacancies = fields.Integer(required=True)
    posts = fields.Integer(required=True)

"""The expression-of-interest form, generated from the grid's input contract.

The grid is the single source of truth for a profile's fields (`grid.encoder.root`, the tree
`ranking.grid.inputs` compiles from `[inputs]`): this module turns that tree into a WTForms
form, the form's answers into the API's JSON document, and the API's refusals back onto the
form's fields. Nothing here validates: the page loads the document with the API's own schema
and hands it to the same service function, so a page and a program are told the same things;
only the words differ (`profile_wording`, in the page's language).

Per kind of input: a number is a text box (or, when its values have names, a select); an enum a
select; a yes/no a checkbox; a date three boxes (day, month, year); a code a text box with the
occupation chooser; an object that may be null a checkbox with its fields below; a list of
objects as many items as given plus one empty, with "add another" and "remove" buttons that
work without JavaScript (they post the form and come back with it changed, nothing saved); a
list of plain values one select per slot, up to the grid's limit.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from marshmallow import ValidationError
from ranking.grid.inputs import ListOf, Obj, Scalar
from wtforms import BooleanField, Form, SelectField, StringField
from wtforms.fields import Field, FieldList, FormField

from app import clock
from app.errors import InvalidInput
from app.profiles.schemas import WORKING_AGE, ProfileInputSchema
from app.web import profile_wording as wording
from app.web.occupation_chooser import FIND
from app.web.forms import PageForm, refuse_unstorable

GIVEN = "given"  # the checkbox of an object that may be null ("I have a job offer")
DATE_PARTS = ("day", "month", "year")
# A number whose values have names (EQF levels) is chosen from a list rather than typed.
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")


# -- the form class ---------------------------------------------------------------------------

def form_class(root: Obj) -> type[PageForm]:
    """A PageForm with one field per input of the tree `root`."""
    attrs = {name: _field(node, name) for name, node in root.fields.items()}
    return type("ProfileForm", (PageForm,), attrs)


def _options(path: str, scalar: Scalar):
    values = ([str(v) for v in range(scalar.minimum, scalar.maximum + 1)] if scalar.kind == "int"
              else list(scalar.labels))

    def options():
        name, alphabetical = wording.OPTION_NAMES.get(path, (str, False))
        named = [(value, name(value)) for value in values]
        if alphabetical:
            named.sort(key=lambda pair: pair[1].casefold())
        return [("", _("Choose…")), *named]

    return options


def _scalar_field(scalar: Scalar, path: str) -> Field:
    text = wording.label(path)
    if scalar.kind == "enum" or (scalar.kind == "int" and path in wording.OPTION_NAMES):
        return SelectField(text, choices=_options(path, scalar), validate_choice=False)
    if scalar.kind == "bool":
        return BooleanField(text)
    if scalar.kind == "date":
        parts = type("DateParts", (Form,), {part: StringField(wording.DATE_PARTS[part]) for part in DATE_PARTS})
        return FormField(parts, text)
    return StringField(text)


def _field(node, path: str) -> Field:
    if isinstance(node, Scalar):
        return _scalar_field(node, path)
    if isinstance(node, Obj):
        attrs = {name: _field(child, f"{path}.{name}") for name, child in node.fields.items()}
        if node.nullable:
            attrs = {GIVEN: BooleanField(wording.label(path)), **attrs}
        return FormField(type("Part", (Form,), attrs), wording.label(path))
    inner = _field(node.items, path)
    plain = isinstance(node.items, Scalar)
    return FieldList(inner, wording.label(path), min_entries=node.max_items if plain else 1,
                     max_entries=node.max_items)


# -- what the template shows ----------------------------------------------------------------

@dataclass
class Widget:
    """One input as the template draws it: its kind, field, words and, for groups, its parts."""

    kind: str  # text, number, select, checkbox, date, occupation, optional, items, slots
    path: str
    field: Field
    label: str
    hint: str = ""
    parts: list = field(default_factory=list)  # optional: widgets; items/slots: one list of widgets per entry
    legends: list = field(default_factory=list)  # items/slots: each entry's legend
    can_add: bool = False
    add_text: str = ""
    remove_texts: list = field(default_factory=list)
    matches: list | None = None  # occupation: the chooser's results, after "Find"
    query: str = ""
    chosen_title: object = None  # occupation: the ISCO-08 title of the code given


@dataclass
class Section:
    id: str
    title: str
    widgets: list


def _widget(node, path: str, bound: Field, search) -> Widget:
    text, hint = str(wording.label(path)), str(wording.HINTS.get(path, ""))
    if isinstance(node, Scalar):
        kind = {"bool": "checkbox", "date": "date", "code": "occupation", "enum": "select"}.get(node.kind, "number")
        if isinstance(bound, SelectField):
            kind = "select"
        widget = Widget(kind, path, bound, text, hint)
        if kind == "occupation":
            widget.matches, widget.query, widget.chosen_title = search(bound)
        return widget
    if isinstance(node, Obj):
        parts = [_widget(child, f"{path}.{name}", bound.form[name], search) for name, child in node.fields.items()]
        return Widget("optional", path, bound, text, hint, parts=parts)
    entries = bound.entries
    legend, add, remove = wording.ITEMS.get(path, ("%(n)s", "", ""))
    if isinstance(node.items, Scalar):
        parts = [[_widget(node.items, path, entry, search)] for entry in entries]
        for (slot,) in parts:
            slot.hint = ""  # the list's hint is said once, above its slots
        return Widget("slots", path, bound, text, hint, parts=parts,
                      legends=[str(legend) % {"n": i + 1} for i in range(len(entries))])
    parts = [[_widget(child, f"{path}.{name}", entry.form[name], search) for name, child in node.items.fields.items()]
             for entry in entries]
    return Widget("items", path, bound, text, hint, parts=parts,
                  legends=[str(legend) % {"n": i + 1} for i in range(len(entries))],
                  can_add=len(entries) < node.max_items, add_text=str(add),
                  remove_texts=[str(remove) % {"n": i + 1} for i in range(len(entries))])


def sections(form: PageForm, root: Obj, search=lambda field: (None, "", None)) -> list[Section]:
    """The form's widgets in the wording's sections; an input no section names comes last.

    `search(field)` gives an occupation field's (matches or None, query, title of its code)."""
    placed: set[str] = set()
    result = []
    for section_id, title, names in wording.SECTIONS:
        widgets = [_widget(root.fields[name], name, form[name], search) for name in names if name in root.fields]
        placed.update(names)
        if widgets:
            result.append(Section(section_id, str(title), widgets))
    rest = [_widget(node, name, form[name], search) for name, node in root.fields.items() if name not in placed]
    if rest:
        result.append(Section("more", _("More about you"), rest))
    return result


# -- the form's answers as the API's document --------------------------------------------------

@dataclass
class Answers:
    """The document the form's answers make, and where each list item of it came from."""

    document: dict
    positions: dict[str, list[int]] = field(default_factory=dict)  # list path -> form entry of each item


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _scalar_value(scalar: Scalar, bound: Field):
    """The JSON value of a scalar field, or None for nothing given (the key is then left out)."""
    if scalar.kind == "bool":
        return bool(bound.data)
    if scalar.kind == "date":
        parts = [(bound.form[part].data or "").strip() for part in DATE_PARTS]
        if not any(parts):
            return None
        day, month, year = parts
        if all(p.isdigit() for p in parts):
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"  # not a date: the schema says so
    raw = (bound.data or "").strip()
    if not raw:
        return None
    if scalar.kind == "int":
        return int(raw) if WHOLE_NUMBER.fullmatch(raw) else raw  # a word: the schema refuses it
    return raw


def _is_empty(node: Obj, bound: Field) -> bool:
    return all(_blank(_scalar_value(child, bound.form[name])) or child.kind == "bool"
               for name, child in node.fields.items())


def answers(form: PageForm, root: Obj) -> Answers:
    """The document of the form's answers: entirely empty list items are left out."""
    result = Answers({})

    def obj(node: Obj, fields_of, path: str) -> dict:
        out = {}
        for name, child in node.fields.items():
            child_path = f"{path}.{name}" if path else name
            value = value_of(child, fields_of[name], child_path)
            if value is not _SKIP:
                out[name] = value
        return out

    def value_of(node, bound: Field, path: str):
        if isinstance(node, Scalar):
            value = _scalar_value(node, bound)
            return _SKIP if value is None else value
        if isinstance(node, Obj):
            if node.nullable and not bound.form[GIVEN].data:
                return None
            return obj(node, bound.form, path)
        items, positions = [], []
        for index, entry in enumerate(bound.entries):
            if isinstance(node.items, Scalar):
                value = _scalar_value(node.items, entry)
                if value is None:
                    continue
            else:
                if _is_empty(node.items, entry):
                    continue
                value = obj(node.items, entry.form, path)
            items.append(value)
            positions.append(index)
        result.positions[path] = positions
        return items

    result.document = obj(root, form, "")
    return result


_SKIP = object()


def form_data(root: Obj, document: dict) -> dict:
    """The form's data for a document the service returned (to fill the form with a profile)."""

    def value(node, item):
        if isinstance(node, Scalar):
            if item is None:
                return None
            if node.kind == "date":
                day = item if isinstance(item, dt.date) else dt.date.fromisoformat(str(item))
                return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
            return item if node.kind == "bool" else str(item)
        if isinstance(node, Obj):
            if item is None:
                return {GIVEN: False} if node.nullable else {}
            inner = {name: value(child, item.get(name)) for name, child in node.fields.items()}
            return {GIVEN: True, **inner} if node.nullable else inner
        return [value(node.items, entry) for entry in item or []]

    return {name: value(node, document.get(name)) for name, node in root.fields.items()}


def rebuilt(form: PageForm, root: Obj, change=None) -> PageForm:
    """A new form with the same answers, after `change(data)` (add or remove a list item)."""
    data = {name: form[name].data for name in root.fields}
    if change:
        change(data)
    return type(form)(formdata=None, data=data)


def _item_list(root: Obj, name: str) -> ListOf | None:
    node = root.fields.get(name)
    return node if isinstance(node, ListOf) and isinstance(node.items, Obj) else None


def add_item(root: Obj, name: str):
    """The change "add another" makes: one empty item more, up to the grid's limit."""
    def change(data):
        node = _item_list(root, name)
        if node is not None and len(data[name]) < node.max_items:
            data[name].append(None)
    return change


def remove_item(root: Obj, name: str, index: int):
    def change(data):
        if _item_list(root, name) is not None and 0 <= index < len(data[name]):
            del data[name][index]
    return change


# -- the API's refusals on the form's fields ----------------------------------------------------

def flatten(messages, prefix: tuple = ()) -> list[tuple[tuple, str]]:
    """marshmallow's nested messages (or a ServiceError's `errors["json"]`) as (path, message)."""
    if isinstance(messages, str):
        return [(prefix, messages)]
    if isinstance(messages, list):
        return [pair for message in messages for pair in flatten(message, prefix)]
    found = []
    for key, inner in messages.items():
        part = int(key) if isinstance(key, str) and key.isdigit() else key
        found.extend(flatten(inner, prefix if part == "_schema" else (*prefix, part)))
    return found


def _locate(root: Obj, form: PageForm, path: tuple, given: Answers):
    """The scalar node, the form field and the contract path for an error at `path`."""
    node, bound, names, parent_list = root, form, [], None
    parts = list(path)
    while parts:
        part = parts.pop(0)
        if isinstance(node, Obj):
            if part not in node.fields:
                return None
            names.append(part)
            node = node.fields[part]
            bound = bound[part] if isinstance(bound, (PageForm, Form)) else bound.form[part]
        elif isinstance(node, ListOf):
            if not isinstance(part, int):
                return None
            positions = given.positions.get(".".join(names), [])
            if part >= len(positions):
                return None
            parent_list = node
            bound = bound.entries[positions[part]]
            node = node.items
        else:
            return None
    return node, bound, ".".join(names), parent_list


def _first_input(bound: Field) -> Field:
    """The field an error links to: the first box of a date, the first slot of a list."""
    if isinstance(bound, FormField):
        return _first_input(next(iter(bound.form)))
    if isinstance(bound, FieldList):
        return _first_input(bound.entries[0]) if bound.entries else bound
    return bound


def _message(node, bound: Field, path: str, parent_list, api_message: str) -> str:
    if isinstance(node, ListOf):
        return wording.too_few(path, node.min_items) if node.min_items else api_message
    if not isinstance(node, Scalar):
        return api_message
    value = _scalar_value(node, bound)
    if value is None:
        return wording.missing(path, node.kind)
    try:
        node.code(value, _today_code())
    except ValueError:
        return wording.refused(path, node.kind, node.minimum, node.maximum, node.digits)
    if path == WORKING_AGE.years:
        return wording.beyond_working_age(WORKING_AGE.from_age)
    if parent_list is not None and parent_list.unique:
        return wording.repeated(path)
    return api_message


def _today_code() -> int:
    today = clock.today()
    return today.year * 10000 + today.month * 100 + today.day


def place_errors(form: PageForm, root: Obj, given: Answers, messages) -> list[str]:
    """Put each refusal on its field, in the page's words; returns those no field could take."""
    unplaced: list[str] = []
    for path, api_message in flatten(messages):
        located = _locate(root, form, path, given) if path else None
        if located is None:
            unplaced.append(api_message)
            continue
        node, bound, contract_path, parent_list = located
        target = _first_input(bound)
        message = _message(node, bound, contract_path, parent_list, api_message)
        errors = list(target.errors) if isinstance(target.errors, (list, tuple)) else []
        if message not in errors:
            target.errors = [*errors, message]
    return unplaced


# -- one post of the form ------------------------------------------------------------------------

def edit_step(root, form_type, action: str):
    """Apply a button that is not "save" (add, remove, find): the form comes back changed, nothing stored.

    Returns the form to show, or None when the button is "save"."""
    form = form_type()
    if action.startswith("add:"):
        return rebuilt(form, root, add_item(root, action[4:]))
    if action.startswith("remove:"):
        name, _sep, index = action[7:].partition(":")
        return rebuilt(form, root, remove_item(root, name, int(index) if index.isdigit() else -1))
    if action.startswith(FIND):
        return form
    return None


@dataclass
class Posted:
    """One post of the form: the form to show again, and the loaded document when "save" was pressed
    and the API's schema took it (`data`; None with the refusals on the fields)."""

    form: PageForm
    saving: bool
    data: dict | None = None
    given: Answers | None = None


def read(root: Obj, form_type, action: str) -> Posted:
    """The posted form after its button: add, remove or find change the form; save loads it."""
    form = edit_step(root, form_type, action)
    if form is not None:
        return Posted(form, saving=False)
    form = form_type()
    if refuse_unstorable(form):
        return Posted(form, True, None, answers(form, root))
    data, given = load(form, root)
    return Posted(form, True, data, given)


def load(form, root):
    """The form's document loaded by the API's schema: (data, answers) or (None, answers) with errors placed."""
    given = answers(form, root)
    try:
        return ProfileInputSchema().load(given.document), given
    except ValidationError as error:
        form.form_errors.extend(place_errors(form, root, given, error.messages))
        return None, given


def service_refusal(form, root, given, error) -> None:
    """Put a service's refusal (the engine's or a conflict) on the form."""
    if isinstance(error, InvalidInput):
        form.form_errors.extend(place_errors(form, root, given, error.errors.get("json", {})))
    else:
        form.form_errors.append(error.message)

"""The API's error messages follow `Accept-Language`; codes, statuses and keys stay English.

The expected French and German texts below are written out by hand, not read from the catalogs,
so a wrong or missing translation fails here and not only a completeness count.
"""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from marshmallow import fields, validate

from app import error_translation
from app.accounts.auth import wrong_role
from app.accounts.models import Role
from app.profiles.schemas import WORDING
from app.web import languages

APP = Path(__file__).resolve().parents[2] / "app"
BAD_ACCOUNT = {"email": "not an address", "password": "short", "role": "administrator"}


def _same_shape(english: dict, translated: dict) -> None:
    assert translated["code"] == english["code"] and translated["status"] == english["status"]
    assert _keys(translated["errors"]) == _keys(english["errors"])


def _keys(tree) -> object:
    return {key: _keys(value) for key, value in tree.items()} if isinstance(tree, dict) else len(tree)


@pytest.mark.parametrize("language, message, email, unknown", [
    ("fr", "Certains champs ne sont pas valides ; voyez `errors` pour ce qu’il faut changer.",
     "Ce n’est pas une adresse électronique valide.", "Champ inconnu."),
    ("de", "Einige Felder sind ungültig; was zu ändern ist, steht unter `errors`.",
     "Keine gültige E-Mail-Adresse.", "Unbekanntes Feld."),
])
def test_a_422_in_the_callers_language(client, language, message, email, unknown):
    english = client.post("/api/v1/accounts", json=BAD_ACCOUNT, headers={"Accept-Language": "en"})
    response = client.post("/api/v1/accounts", json=BAD_ACCOUNT, headers={"Accept-Language": f"{language},en;q=0.5"})
    assert response.status_code == english.status_code == 422
    body = response.get_json()
    _same_shape(english.get_json(), body)
    assert body["message"] == message
    assert body["errors"]["json"]["email"] == [email] and body["errors"]["json"]["role"] == [unknown]
    assert response.headers["Content-Language"] == language and "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("language, path, message", [
    ("fr", "/api/v1/no-such-thing", "L’URL demandée n’existe pas sur le serveur. Si vous l’avez saisie à la main, "
                                   "vérifiez l’orthographe et réessayez."),
    ("de", "/api/v1/no-such-thing", "Die angefragte URL wurde auf dem Server nicht gefunden. Wenn Sie sie von Hand "
                                   "eingegeben haben, prüfen Sie bitte die Schreibweise und versuchen Sie es erneut."),
    ("fr", "/api/v1/rounds/20991231T0000Z-DE", "Il n’y a pas de tour terminé '20991231T0000Z-DE'."),  # a service's
    ("de", "/api/v1/rounds/20991231T0000Z-DE", "Es gibt keine abgeschlossene Runde '20991231T0000Z-DE'."),
])
def test_a_404_in_the_callers_language(client, language, path, message):
    english = client.get(path)
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == english.status_code == 404
    _same_shape(english.get_json(), response.get_json())
    assert response.get_json()["message"] == message


@pytest.mark.parametrize("language, message", [
    ("fr", "Connectez-vous d’abord : envoyez `Authorization: Bearer <token>` (les jetons s’obtiennent par "
           "POST /api/v1/tokens)."),
    ("de", "Melden Sie sich zuerst an: Senden Sie `Authorization: Bearer <token>` (Tokens erhalten Sie über "
           "POST /api/v1/tokens)."),
])
def test_a_401_in_the_callers_language(client, language, message):
    response = client.get("/api/v1/me/profile", headers={"Accept-Language": language})
    assert response.status_code == 401 and response.get_json()["message"] == message
    assert response.get_json()["status"] == "Unauthorized" and "WWW-Authenticate" in response.headers


def test_the_api_follows_the_header_not_the_pages_choice(client):
    client.get("/?lang=de")  # the pages' cookie, now set
    assert client.get("/api/v1/me/profile").get_json()["message"].startswith("Sign in first")
    refused = client.get("/api/v1/me/profile?lang=de")  # `lang` is no parameter of the API: refused, in English
    assert refused.status_code == 422 and refused.headers["Content-Language"] == "en"
    assert refused.get_json()["message"] == "Unknown query parameter: lang. GET /api/v1/me/profile takes no query parameters."
    assert client.get("/api/v1/me/profile", headers={"Accept-Language": "pl"}).headers["Content-Language"] == "en"


@pytest.fixture
def in_language(app):
    def translated(language: str, message: str) -> str:
        with app.test_request_context("/api/v1/x", headers={"Accept-Language": language}):
            return error_translation.translate(message)
    return translated


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_values_are_kept_and_an_inner_message_is_translated_too(in_language):
    assert in_language("de", "Must be greater than or equal to 1 and less than or equal to 8.") == \
        "Muss größer oder gleich 1 und kleiner oder gleich 8 sein."
    assert in_language("fr", "languages[1].reading: Not a valid string.") == \
        "languages[1].reading : Ce n’est pas une chaîne de caractères valide."
    assert in_language("de", "DE has no round '20990101T0000Z-DE'.") == "DE hat keine Runde '20990101T0000Z-DE'."
    assert in_language("fr", "A sentence no template knows.") == "A sentence no template knows."
    assert in_language("de", "GET /api/v1/audit-events is for administrators only; you are signed in as an official.") == \
        "GET /api/v1/audit-events ist nur für Administratoren; Sie sind als Bedienstete oder Bediensteter angemeldet."
    assert in_language("fr", "Unknown query parameters: a, b. GET /api/v1/rounds takes limit, state.") == \
        "Paramètres de requête inconnus : a, b. GET /api/v1/rounds accepte limit, state."
    assert in_language("fr", "A round cannot be simulated now: there is no complete ranking run yet: "
                             "run `flask pool rerank` first.") == \
        "Un tour ne peut pas être simulé pour l’instant : il n’y a pas encore de classement complet : " \
        "lancez d’abord `flask pool rerank`."
    assert in_language("de", "Must be 2027-03-01 or later.") == "Muss der 2027-03-01 oder später sein."
    assert in_language("en", "Unknown field.") == "Unknown field."


# -- every message the service can send has a template ------------------------------------------

def _marshmallow_messages() -> set[str]:
    """marshmallow's own messages, as its fields and validators format them."""
    found = set()
    for field in vars(fields).values():
        if inspect.isclass(field) and issubclass(field, fields.Field):
            found.update(field.default_error_messages.values())
    found.update(message for validator in vars(validate).values()
                 if inspect.isclass(validator) and issubclass(validator, validate.Validator)
                 for name, message in vars(validator).items()
                 if isinstance(message, str) and (name.startswith("message_") or name == "default_message"))
    found -= {validate.Range.message_min, validate.Range.message_max, validate.Range.message_all}
    low, high = (validate.Range.message_gte, validate.Range.message_gt), (validate.Range.message_lte, validate.Range.message_lt)
    for min_op in low:
        found.add(validate.Range.message_min.format(min_op=min_op))
        for max_op in high:
            found.add(validate.Range.message_all.format(min_op=min_op, max_op=max_op))
    for max_op in high:
        found.add(validate.Range.message_max.format(max_op=max_op))
    found -= {message for message in found if message.endswith(("than", "to"))}  # the bare operators
    for obj_type in ("date", "datetime", "time"):
        found.add(fields.DateTime.default_error_messages["invalid"].format(obj_type=obj_type))
    for awareness in ("aware", "naive"):
        found.add(fields.DateTime.default_error_messages["invalid_awareness"].format(awareness=awareness,
                                                                                     obj_type="datetime"))
    return {_sample(message) for message in found if "{obj_type}" not in message and "{awareness}" not in message}


def _sample(template: str) -> str:
    """A message as written from `template`, with a value in each placeholder."""
    return re.sub(r"\{[^{}]*\}", "X1", template.replace("{{", "{").replace("}}", "}"))


SERVICE_ERRORS = {"ServiceError", "Unauthorized", "Forbidden", "NotFound", "Conflict", "InvalidInput",
                  "TooManyAttempts", "ValidationError", "RequestEntityTooLarge", "UnsupportedMediaType"}


def _text(node, constants: dict) -> str | None:
    """The message `node` writes, with X1 for each value; None when it is not written there."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "X1" for part in node.values)
    if isinstance(node, ast.Name) and node.id in constants:
        return _text(constants[node.id], constants)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        inner = _text(node.func.value, constants)
        return _sample(inner) if inner is not None else None
    return None


def _messages_in(node, constants: dict):
    """The messages of one error call: its first argument, and the field messages of its dict arguments
    (the first one too: a schema's `ValidationError({"0": ["…"]}, name)`)."""
    if node.args:
        yield _text(node.args[0], constants)
    for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
        for inner in ast.walk(argument):
            if isinstance(inner, ast.List):
                yield from (_text(item, constants) for item in inner.elts if isinstance(item, (ast.Constant, ast.JoinedStr)))
            elif isinstance(inner, ast.ListComp) and isinstance(inner.elt, (ast.Constant, ast.JoinedStr)):
                yield _text(inner.elt, constants)  # one message per value: ["{code} does not ..." for code in refused]


def _role_refusals(trees: dict) -> dict[str, str]:
    """The 403 of every `require(Role.…)` in `app/` to each role it keeps out, as `wrong_role` writes it."""
    found = {}
    with Flask(__name__).test_request_context("/api/v1/x"):
        for where, tree in trees.items():
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "require":
                    roles = tuple(Role[argument.attr] for argument in node.args if isinstance(argument, ast.Attribute))
                    found.update({wrong_role(roles, role): f"{where}:{node.lineno}" for role in Role if role not in roles})
    return found


def _service_messages() -> dict[str, str]:
    """Every message written at a `raise` of a service error (or a schema error) in `app/`, by where."""
    found, trees = {}, {}
    for path in sorted(APP.rglob("*.py")):
        if {"migrations", "web", "demo"} & set(path.relative_to(APP).parts):
            continue  # the pages have their own words; migrations and demo data send none
        tree = trees[path.relative_to(APP.parent)] = ast.parse(path.read_text(encoding="utf-8"))
        constants = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                     for target in node.targets if isinstance(target, ast.Name)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in SERVICE_ERRORS:
                messages = list(_messages_in(node, constants))
            elif name in ("Regexp", "Length", "OneOf", "Range"):
                messages = [_text(keyword.value, constants) for keyword in node.keywords if keyword.arg == "error"]
            else:
                continue
            for message in messages:
                if message is not None and message.strip("X1 "):
                    found[message] = f"{path.relative_to(APP.parent)}:{node.lineno}"
    found.update(_role_refusals(trees))
    found.update({message: "app/profiles/schemas.py WORDING" for message in WORDING.errors.values()})
    return found


def test_the_scan_finds_the_services_messages():
    messages = _service_messages()
    assert len(messages) > 40
    assert "There is no EU member state with the code X1." in messages


def test_every_message_the_service_writes_has_a_template():
    """Fails when a new or changed refusal has no template in `app/error_translation.py`: add it there,
    then `make translations` and translate it."""
    untranslatable = {message: where for message, where in _service_messages().items()
                      if error_translation.template_of(message) is None}
    assert untranslatable == {}


def test_every_message_of_marshmallow_has_a_template():
    assert sorted(message for message in _marshmallow_messages() if error_translation.template_of(message) is None) == []


@pytest.mark.parametrize("language", ["fr", "de"])
def test_each_template_is_translated_with_the_same_placeholders(language):
    with languages.catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    placeholders = re.compile(r"\{(\w+)\}")
    for template in error_translation.TEMPLATES:
        message = catalog.get(template)
        assert message is not None and message.string, template
        assert sorted(placeholders.findall(message.string)) == sorted(placeholders.findall(template)), template

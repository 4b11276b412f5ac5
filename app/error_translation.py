"""The API's error messages in the caller's language (`Accept-Language`), from the pages' catalogs.

Services, schemas and marshmallow itself write their refusals in English, often with a value in
them ("There is no EU member state with the code 'XX'."). They are translated here, once, as the
error leaves the service, rather than at each of the forty places that raise one: the English
text *is* the message id, as in any gettext catalog, and a message with values is found by its
template (`{code}` stands for any text), translated, and filled with the same values. So codes,
field names and JSON keys stay English and stable; only `message` and the field messages change.

A message that no template matches is left in English: never wrong, only untranslated.
`tests/web/test_error_language.py` reads every `raise` of a service error in `app/` and
fails when one has no template here, so a new message cannot be forgotten silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from flask_babel import gettext


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "extract this, translate it later"
    return text


# marshmallow 4's own messages (fields, schemas, validators; Range composed with its operators),
# webargs' and werkzeug's defaults, then the service's. Keep each exactly as its source writes it.
TEMPLATES = (
    # marshmallow
    N_("Missing data for required field."),
    N_("Unknown field."),
    N_("Invalid input type."),
    N_("Invalid type."),
    N_("Invalid input."),
    N_("Invalid value."),
    N_("Field may not be null."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid mapping type."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid time."),
    N_("Not a valid aware datetime."),
    N_("Not a valid naive datetime."),
    N_("Not a valid period of time."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("Not a valid IP address."),
    N_("Not a valid IPv4 address."),
    N_("Not a valid IPv6 address."),
    N_("Not a valid IP interface."),
    N_("Not a valid IPv4 interface."),
    N_("Not a valid IPv6 interface."),
    N_("\"{input}\" cannot be formatted as a date."),
    N_("\"{input}\" cannot be formatted as a datetime."),
    N_("\"{input}\" cannot be formatted as a time."),
    N_("{input} cannot be formatted as a timedelta."),
    N_("Must be one of: {choices}."),
    N_("Must be equal to {other}."),
    N_("String does not match expected pattern."),
    N_("One or more of the choices you made was in: {values}."),
    N_("One or more of the choices you made was not in: {choices}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be less than {max}."),
    # webargs, and app.errors' own
    N_("Invalid JSON body."),
    N_("The request body is not valid JSON."),
    N_("Some fields are invalid; see `errors` for what to change."),
    N_("Something went wrong on our side; the error has been logged. Please try again later."),
    N_("A value in the request is outside what the service can store (e.g. a number too large to be an id)."),
    N_("The change conflicts with one saved meanwhile; reload and try again."),
    # werkzeug's descriptions, for the errors that carry no message of ours
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_("The server could not verify that you are authorized to access the URL requested. You either supplied "
       "the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the "
       "credentials required."),
    N_("You don't have the permission to access the requested resource. It is either read-protected or not "
       "readable by the server."),
    N_("The requested URL was not found on the server. If you entered the URL manually please check your "
       "spelling and try again."),
    N_("The method is not allowed for the requested URL."),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("The server does not support the media type transmitted in the request."),
    N_("The request was well-formed but was unable to be followed due to semantic errors."),
    N_("This user has exceeded an allotted request count. Try again later."),
    # app.requests
    N_("The request body is larger than the limit of {limit} bytes."),
    N_("Send the request body as JSON, with `Content-Type: application/json`."),
    N_("The JSON body nests arrays and objects {depth} levels deep; at most {limit} are accepted."),
    N_("A number in the JSON body has more digits than any field takes."),
    N_("Some text in the request cannot be stored; see `errors` for where."),
    N_("Text may not contain a NUL character (\\u0000) or an unpaired surrogate (\\ud800-\\udfff)."),
    N_("This key contains a NUL character (\\u0000) or an unpaired surrogate (\\ud800-\\udfff)."),
    N_("Use a time in the years {first} to {last}."),
    N_("Unknown parameter."),
    N_("Unknown query parameter: {names}. {method} {path} takes {takes}."),
    N_("Unknown query parameters: {names}. {method} {path} takes {takes}."),
    N_("Unknown query parameter: {names}. {method} {path} takes no query parameters."),
    N_("Unknown query parameters: {names}. {method} {path} takes no query parameters."),
    # accounts
    N_("Sign in first: send `Authorization: Bearer <token>` (tokens come from POST /api/v1/tokens)."),
    N_("The token is unknown, expired or revoked; sign in again."),
    N_("Candidates can only reach their own data under /api/v1/me."),
    N_("Officials can only manage their own member state."),
    N_("Administrators cannot do this."),
    # app.accounts.auth.wrong_role, one per route's role and caller's role (both words translated)
    N_("{method} {path} is for candidates only; you are signed in as an official."),
    N_("{method} {path} is for candidates only; you are signed in as an administrator."),
    N_("{method} {path} is for member-state officials only; you are signed in as a candidate."),
    N_("{method} {path} is for member-state officials only; you are signed in as an administrator."),
    N_("{method} {path} is for administrators only; you are signed in as a candidate."),
    N_("{method} {path} is for administrators only; you are signed in as an official."),
    N_("{method} {path} is for candidates only; you are signed in as an employer."),
    N_("{method} {path} is for member-state officials only; you are signed in as an employer."),
    N_("{method} {path} is for administrators only; you are signed in as an employer."),
    N_("{method} {path} is for employers only; you are signed in as a candidate."),
    N_("{method} {path} is for employers only; you are signed in as an official."),
    N_("{method} {path} is for employers only; you are signed in as an administrator."),
    N_("{method} {path} is for candidates and employers only; you are signed in as an official."),
    N_("{method} {path} is for candidates and employers only; you are signed in as an administrator."),
    N_("The e-mail address or the password is wrong."),
    N_("An account with this e-mail address already exists; sign in instead."),
    N_("Already registered."),
    N_("No such account."),
    N_("An official needs the code of an EU member state, not {code}."),
    N_("Unknown member state."),
    N_("Only officials are bound to a member state."),
    N_("Not allowed."),
    N_("Use a password of 10 to 256 characters."),
    N_("Too many failed sign-ins for this account; try again in {seconds} seconds."),
    N_("Too many failed sign-ins from your address; try again in {seconds} seconds."),
    N_("Too many registrations from your address; try again in {seconds} seconds."),
    N_("Too many {what}; try again in {seconds} seconds."),  # a limit added later: its name stays English
    N_("Too many passwords are being checked right now. Please try again in a few seconds."),
    N_("The password is wrong."),
    N_("This account has been disabled; ask an administrator."),
    N_("No official or administrator has this id."),
    N_("You cannot disable your own account."),
    N_("Send the 6 digits."),
    N_("Two-factor sign-in is already set up for this account."),
    N_("Already set up."),
    N_("The two-factor code is wrong, expired or already used."),
    N_("Only officials and administrators sign in with two factors."),
    N_("This link has expired or has been used already. Ask for a new one."),
    N_("Another account uses this e-mail address now; ask for a new link from your account."),
    N_("This e-mail address is verified already."),
    N_("This is your e-mail address already."),
    N_("Already yours."),
    # profiles (the generated schema's words, then the lifecycle, then the engine's objections)
    N_("Use the ISO 639-1 code of an official EU language (or lb, tr)."),
    N_("Use a CEFR level, A1 to C2."),
    N_("An ISCO-08 unit group is 4 digits, e.g. \"2512\"."),
    N_("Not an EU member state code."),
    N_("Use a code of {digits} digits."),
    N_("{value} is listed twice."),
    N_("Your profile is {status} in an invitation round and can no longer change; withdraw it first "
       "(DELETE /api/v1/me/profile) to enter the pool again."),
    N_("You have no expression of interest in the pool; submit one with PUT /api/v1/me/profile."),
    N_("Your profile is {status}; submit it again with PUT /api/v1/me/profile."),
    N_("{value} is out of range: must be after 1900 and not in the future"),
    N_("Use a date from 1900-01-01 to today."),
    N_("{codes} does not take part in the Talent Pool; choose another state."),
    N_("{code} does not take part in the pool."),
    N_("{field}: {message}"),
    # invitations
    N_("You have no invitation with the id {id}."),
    N_("This invitation expired on {moment} UTC."),
    N_("This invitation was already {status}."),
    N_("This invitation was answered or expired meanwhile; reload it."),
    N_("Your expression of interest is no longer in the pool, so the invitation cannot be accepted."),
    # states, categories, rounds (the officials' side)
    N_("There is no EU member state with the code {code}."),
    N_("You are an official of {own}; you cannot see or change {other}'s settings."),
    N_("This is {own}'s overlay; it cannot name {other}."),
    N_("Must be {value}."),
    N_("The overlay was refused: {where}: {problem}"),
    N_("{code} already has an overlay revision labelled {version}; give this one its own version label."),
    N_("Already used by this state."),
    N_("At most {most} points, the common grid's largest for {factor}."),
    N_("The first band (nothing matching) must give 0 points."),
    N_("A change can take effect from {day} (the next nightly ranking) at the earliest."),
    N_("Must be {day} or later."),
    N_("A ceiling of {value} is below what {state}'s rounds already need in {years}: change or cancel these "
       "scheduled rounds first: {keys}."),
    N_("At least {value}."),
    N_("{state} has no category {key}."),
    N_("No such category of this state."),
    N_("Bad category key {key}: {problem}"),
    N_("A category needs at least one condition."),
    N_("Give occupations, min_language or min_education_level."),
    N_("The category was refused: {problem}"),
    N_("An ISCO-08 prefix is 1 to 4 digits, e.g. \"22\"."),
    N_("Use 1-64 lower-case letters, digits, '-' or '_'."),
    N_("{state} has no round {key}."),
    N_("There is no completed round {key}."),
    N_("A round must be scheduled in the future (rounds run at whole minutes, UTC)."),
    N_("Rounds can be scheduled at most {days} days ahead."),
    N_("Must be after {moment}Z."),
    N_("Must be before {day}."),
    N_("Set {state}'s annual invitation ceiling before scheduling rounds."),
    N_("{state} has {left} invitations left under its ceiling of {ceiling} for {year}."),
    N_("At most {left}."),
    N_("{state} already has a round at {moment} UTC ({key})."),
    N_("Round {key} has already run; a completed round stays on record."),
    N_("Round {key} is being run right now."),
    N_("Rounds run at whole minutes (UTC): give a time without seconds."),
    N_("Not a whole minute: {time}. Use {earlier} or {later}."),
    N_("A round cannot be simulated now: {message}."),  # the reason, translated in turn
    N_("there is no complete ranking run yet: run `flask pool rerank` first"),
    # the hand-off and misrepresentation
    N_("{state} found a claim in your profile false (decision {reference}), so you cannot enter the pool before "
       "{day}. To contest it, use {other}'s remedies against that decision; if it is set aside, an administrator "
       "can lift the bar."),
    N_("Your state has no invitee with the invitation {id}."),
    N_("A false claim can be recorded only against an accepted invitation."),
    N_("Name the claim that was found false."),
    N_("Give the reference of the decision."),
    N_("Required."),
    N_("Only an administrator can lift a bar."),
    N_("There is no finding {id}."),
    N_("This bar was lifted on {day}."),
    N_("Say why the bar is lifted."),
    N_("The application's progress is not consistent."),
    N_("Your state has no invitee who accepted the invitation {id}."),
    N_("{state} has no invitee who accepted the invitation {id}."),
    # employers and vacancies
    N_("Your state has no employer {id}."),
    N_("Only a pending employer is verified; this one is verified or suspended already."),
    N_("Nobody acting for this employer has verified their e-mail address yet; verify it after they have."),
    N_("Say why the employer is suspended."),
    N_("Only a verified employer can be suspended."),
    N_("This employer is not suspended."),
    N_("This account acts for no employer."),
    N_("An employer with this registration number is registered in {state} already; ask its people to add you."),
    N_("Your organisation can add colleagues once its member state has verified it, and not while it is suspended."),
    N_("Use the 4-digit code of an ISCO-08 unit group, e.g. \"2512\"."),
    N_("The vacancy was refused; see the fields."),
    N_("Your organisation is suspended by its member state; it cannot change vacancies."),
    N_("Your organisation has no vacancy {id}."),
    N_("This vacancy is closed; create a new one."),
    N_("Your organisation can publish once its member state has verified it, and not while it is suspended."),
    N_("Only a draft is published; this vacancy is published or closed already."),
    N_("The closing date is in the past; change it first."),
    N_("The closing date is in the past."),
    N_("At most {days} days ahead."),
    N_("The highest salary is below the lowest."),
    N_("This vacancy is closed already."),
    N_("There is no open vacancy {reference}."),
    N_("An ISCO-08 code or its first digits: 1 to 4 digits."),
    # hiring: findability, interest, job offers
    N_("You are not findable by employers; there is nothing to withdraw."),
    N_("No candidate {reference} among this vacancy's matches."),
    N_("You have no interest {id} from an employer."),
    N_("Your organisation is {status}: only a verified employer can contact candidates."),
    N_("This vacancy is {status}; only a published vacancy's matches can be contacted."),
    N_("This interest is {status} already."),
    N_("You expressed interest in this candidate for this vacancy already."),
    N_("To accept, consent to share your e-mail address and profile with this employer."),
    N_("Write a message to the candidate."),
    N_("A match reference is M- and 10 hexadecimal digits."),
    N_("There is no job offer {id} for you."),
    N_("Your organisation has no interest {id}."),
    N_("The candidate has not accepted this interest; an offer follows an accepted interest."),
    N_("An offer was made for this interest already."),
    N_("This offer is {status}; only an offer not yet answered can be answered."),
    N_("You have accepted another job offer already; only one offer counts at a time."),
    N_("This employer is {status}: its offers cannot be accepted now."),
    N_("This offer is {status}; only an offer made or accepted can be withdrawn."),
    N_("Your state has no job offer {id}."),
    N_("Say why the offer is withdrawn."),
)
# A placeholder whose value is itself a message, translated in turn ("{field}: {message}").
NESTED = "message"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Template:
    text: str             # the English template, the catalog's message id
    pattern: re.Pattern   # the English messages it stands for
    specificity: int      # how many characters are fixed text: the most specific match wins


@cache
def _template(text: str) -> Template:
    parts = _PLACEHOLDER.split(text)  # literal, name, literal, name, ..., literal
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return Template(text, re.compile(regex, re.DOTALL), sum(len(part) for part in parts[::2]))


@cache
def _tables() -> tuple[frozenset, tuple[Template, ...]]:
    fixed = frozenset(text for text in TEMPLATES if not _PLACEHOLDER.search(text))
    shaped = sorted((_template(text) for text in TEMPLATES if _PLACEHOLDER.search(text)),
                    key=lambda template: -template.specificity)
    return fixed, tuple(shaped)


def template_of(message: str) -> str | None:
    """The English template `message` was written from, or None if it has none here."""
    fixed, shaped = _tables()
    if message in fixed:
        return message
    for template in shaped:
        if template.pattern.fullmatch(message):
            return template.text
    return None


def translate(message: str) -> str:
    """`message` in the current locale (Flask-Babel's), or unchanged when it has no template."""
    if not isinstance(message, str):
        return message
    template = template_of(message)
    if template is None:
        return message
    translated = gettext(template)
    if template == message:
        return translated
    values = _template(template).pattern.fullmatch(message).groupdict()
    if NESTED in values:
        values[NESTED] = translate(values[NESTED])
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), translated)


def translate_tree(messages):
    """marshmallow's nested field messages with every message translated, keys unchanged."""
    if isinstance(messages, dict):
        return {key: translate_tree(value) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [translate_tree(value) for value in messages]
    return translate(messages)

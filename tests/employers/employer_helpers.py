"""Acting as employers in tests: register an organisation through the API, verify its address from
the mailed link, have its state's official verify it."""
from __future__ import annotations

import datetime as dt
import itertools
import re
from urllib.parse import parse_qs, urlsplit

from sqlmodel import select

from app import clock, db
from app.notifications.models import OutboxMessage

PASSWORD = "a long employer password"
_numbers = itertools.count(1)


def mailed_token(app, kind: str, recipient: str) -> str:
    """The `token` of the link in the newest message of `kind` to `recipient`."""
    with app.app_context(), db.unit_of_work() as session:
        message = session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind,
                                                           OutboxMessage.recipient == recipient)
                               .order_by(OutboxMessage.id.desc())).first()
    assert message is not None, f"no {kind} message to {recipient}"
    link = next(word for word in message.text_body.split() if "token=" in word)
    return parse_qs(urlsplit(link).query)["token"][0]


def messages(app, kind: str) -> list[OutboxMessage]:
    with app.app_context(), db.unit_of_work() as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                 .order_by(OutboxMessage.id)).all())


def organisation(state: str = "DE", **changes) -> dict:
    number = next(_numbers)
    body = {"name": f"Werkstatt {number} GmbH", "state": state, "registration_number": f"HRB {number}",
            "contact_name": "Jana Muster", "address": "Hauptstraße 1, 10115 Berlin",
            "email": f"hr{number}.{state.lower()}@employer.example", "password": PASSWORD}
    body.update(changes)
    return body


def sign_in(client, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/tokens", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def register(app, client, state: str = "DE", *, verify_address: bool = True, **changes) -> dict:
    """A registered employer's first person: {email, headers, id (the employer's)}."""
    body = organisation(state, **changes)
    response = client.post("/api/v1/employers", json=body)
    assert response.status_code == 202, response.get_json()
    if verify_address:
        token = mailed_token(app, "employer_verify", body["email"])
        assert client.post("/api/v1/accounts/verification", json={"token": token}).status_code == 204
    headers = sign_in(client, body["email"])
    employer = client.get("/api/v1/employers/me", headers=headers).get_json()
    return {"email": body["email"], "headers": headers, "id": employer["id"], "state": state, "body": body}


def verified_employer(app, client, official: dict, state: str = "DE", **changes) -> dict:
    employer = register(app, client, state, **changes)
    response = client.post(f"/api/v1/states/{state}/employers/{employer['id']}/verification",
                           headers=official["headers"])
    assert response.status_code == 200, response.get_json()
    return employer


def vacancy(**changes) -> dict:
    body = {"occupation": "2512", "title": "Backend developer", "description": "Python services for a small team.",
            "posts": 2, "location": "Berlin", "closing_date": (clock.today() + dt.timedelta(days=30)).isoformat(),
            "requirements": {"education_level": 6,
                             "languages": [{"language": "en", "listening": "B2", "reading": "B2", "speaking": "B1",
                                            "writing": None}],
                             "experience_years": 2, "experience_scope": "occupation"},
            "salary_min": 50_000, "salary_max": 65_000}
    body.update(changes)
    return body


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1) or found.group(2)


def page_sign_in(client, email: str, password: str):
    """Sign in through the pages: the password, then (officials) the two-factor code."""
    from conftest import second_factor_code

    answer = client.post("/sign-in", data={"csrf_token": csrf(client.get("/sign-in").text), "email": email,
                                           "password": password, "next": ""})
    if answer.status_code == 303 and answer.headers["Location"].endswith("/sign-in/code"):
        answer = client.post("/sign-in/code", data={"csrf_token": csrf(client.get("/sign-in/code").text),
                                                    "code": second_factor_code(client.application, email)})
    return answer

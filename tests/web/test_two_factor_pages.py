"""The sign-in's second step for officials and administrators, and their enrolment, through the pages."""
from __future__ import annotations

import re

import pyotp
from conftest import second_factor_code
from console_sign_in import post_code, post_password, sign_in
from profile_form_posts import csrf_token


def test_an_enrolled_official_needs_the_code_before_anything(client, app, make_account):
    official = make_account("official", "DE")
    answer = post_password(client, official["email"], next_page="/official/")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/sign-in/code")
    assert client.get("/official/").status_code == 303  # no token yet: the console asks to sign in
    page = client.get("/sign-in/code")
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.text
    wrong = post_code(client, "000000" if second_factor_code(app, official["email"]) != "000000" else "111111")
    assert wrong.status_code == 401 and 'href="#code"' in wrong.text  # the error summary links to the field
    right = post_code(client, second_factor_code(app, official["email"]))
    assert right.status_code == 303 and right.headers["Location"] == "/official/"
    assert client.get("/official/").status_code == 200
    assert client.get("/sign-in/code").status_code == 303  # the pending step went with the old session


def test_the_same_code_does_not_sign_in_twice(app, make_account):
    official = make_account("admin")
    code = second_factor_code(app, official["email"])
    first, second = app.test_client(), app.test_client()
    post_password(first, official["email"]), post_password(second, official["email"])
    assert post_code(first, code).status_code == 303
    assert post_code(second, code).status_code == 401


def test_a_candidate_signs_in_with_the_password_alone(client, make_account):
    candidate = make_account()
    answer = post_password(client, candidate["email"])
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/account")


def test_the_code_step_expires(client, app, make_account, frozen_clock):
    official = make_account("official", "DE")
    post_password(client, official["email"])
    frozen_clock.advance(seconds=app.config["SECOND_FACTOR_WAIT_SECONDS"] + 1)
    answer = client.get("/sign-in/code")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/sign-in")


def test_an_official_not_enrolled_sets_it_up_first_and_gets_recovery_codes(client, app, runner, make_account):
    official = make_account("official", "FR")
    runner.invoke(args=["accounts", "reset-2fa", official["email"]])
    answer = post_password(client, official["email"], next_page="/official/")
    assert answer.headers["Location"].endswith("/sign-in/enrol")
    assert client.get("/sign-in/code").headers["Location"].endswith("/sign-in/enrol")
    page = client.get("/sign-in/enrol")
    assert page.status_code == 200 and "<svg" in page.text and "<title>" in page.text  # the QR code, drawn here
    assert "https://" not in page.text.split("<main", 1)[-1].split("</main>")[0]  # no third-party image
    secret = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
    token = csrf_token(page.text)
    bad = client.post("/sign-in/enrol", data={"csrf_token": token, "code": "12"})
    assert bad.status_code == 422 and 'href="#code"' in bad.text
    done = client.post("/sign-in/enrol", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.text)
    assert len(set(codes)) == 10
    assert client.get("/official/").status_code == 200
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/official/").text)})
    post_password(client, official["email"])
    assert post_code(client, codes[0]).status_code == 303  # a recovery code in the same field
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/official/").text)})
    post_password(client, official["email"])
    assert post_code(client, codes[0]).status_code == 401


def test_pages_in_french_and_german(client, make_account):
    official = make_account("official", "DE")
    post_password(client, official["email"])
    for language, words in (("fr", "code"), ("de", "Code")):
        page = client.get(f"/sign-in/code?lang={language}")
        assert f'lang="{language}"' in page.text and words in page.text
        assert "Enter your sign-in code" not in page.text


def test_an_administrator_reaches_the_console_after_both_steps(client, make_account):
    admin = make_account("admin")
    assert sign_in(client, admin["email"]).headers["Location"].endswith("/official/")

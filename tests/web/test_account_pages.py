"""The account's safety pages: verification, forgotten password and reset, password and address change, sign out everywhere."""
from __future__ import annotations

import re

from conftest import PASSWORD
from mailed_links import follow_verification, mailed_link
from profile_form_posts import csrf_token, summary

EMAIL = "ana@example.eu"
NEW_PASSWORD = "another long passphrase"


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def post_form(client, path, **data):
    token = csrf_token(client.get(path).text)
    return client.post(path, data={"csrf_token": token, **data})


def register_and_sign_in(client, email=EMAIL):
    assert post_form(client, "/register", email=email, password=PASSWORD).status_code == 303
    assert post_form(client, "/sign-in", email=email, password=PASSWORD, next="").status_code == 303


def test_the_account_page_asks_for_verification_until_the_link_is_followed(app, client):
    register_and_sign_in(client)
    page = client.get("/account")
    assert "not verified yet" in page.text
    resent = client.post("/account/verification", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "We sent a new link" in resent.text
    link = mailed_link(app, "account_verify")
    shown = client.get(link)
    assert shown.status_code == 200 and "Verify my email address" in shown.text  # a GET uses nothing up
    assert follow_verification(app, client).status_code == 200
    assert "not verified yet" not in client.get("/account").text
    again = follow_verification(app, client)
    assert again.status_code == 422 and "expired or has been used" in again.text


def test_a_forgotten_password_is_reset_by_the_mailed_link_once(app, client):
    register_and_sign_in(client)
    unknown = post_form(client, "/password/forgotten", email="nobody@example.eu")
    known = post_form(client, "/password/forgotten", email=EMAIL)
    assert unknown.status_code == known.status_code == 200 and without_csrf(unknown.text) == without_csrf(known.text)
    link = mailed_link(app, "password_reset")
    page = client.get(link)
    short = client.post("/password/reset", data={"csrf_token": csrf_token(page.text),
                                                 "token": link.split("token=")[1], "password": "short"})
    assert short.status_code == 422 and "password" in summary(short.text)
    done = client.post("/password/reset", data={"csrf_token": csrf_token(page.text),
                                                "token": link.split("token=")[1], "password": NEW_PASSWORD})
    assert done.status_code == 303
    assert client.get("/account").status_code == 303  # signed out
    page = client.get(link)  # a new browser session: a new CSRF token
    used = client.post("/password/reset", data={"csrf_token": csrf_token(page.text),
                                                "token": link.split("token=")[1], "password": NEW_PASSWORD})
    assert used.status_code == 422 and "expired or has been used" in used.text
    assert post_form(client, "/sign-in", email=EMAIL, password=NEW_PASSWORD, next="").status_code == 303


def test_a_password_change_needs_the_current_password_and_ends_the_other_sessions(app, client):
    register_and_sign_in(client)
    other = app.test_client()
    assert post_form(other, "/sign-in", email=EMAIL, password=PASSWORD, next="").status_code == 303
    wrong = post_form(client, "/account/password", current_password="not it at all", new_password=NEW_PASSWORD)
    assert wrong.status_code == 422 and "current_password" in summary(wrong.text)
    changed = post_form(client, "/account/password", current_password=PASSWORD, new_password=NEW_PASSWORD)
    assert changed.status_code == 303
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 303


def test_sign_out_everywhere_ends_every_session(app, client):
    register_and_sign_in(client)
    other = app.test_client()
    assert post_form(other, "/sign-in", email=EMAIL, password=PASSWORD, next="").status_code == 303
    page = client.get("/account")
    done = client.post("/account/sign-out-everywhere", data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 200 and "signed out everywhere" in done.text
    assert client.get("/account").status_code == 303 and other.get("/account").status_code == 303


def test_a_new_address_needs_the_password_and_its_own_link(app, client):
    register_and_sign_in(client)
    wrong = post_form(client, "/account/email", email="new@example.eu", password="not it at all")
    assert wrong.status_code == 422 and "password" in summary(wrong.text)
    sent = post_form(client, "/account/email", email="new@example.eu", password=PASSWORD)
    assert sent.status_code == 200 and "Check your new inbox" in sent.text
    assert EMAIL in client.get("/account").text
    link = mailed_link(app, "address_verify", "new@example.eu")
    page = client.get(link)
    done = client.post("/account/verify", data={"csrf_token": csrf_token(page.text), "token": link.split("token=")[1]})
    assert done.status_code == 200
    assert "new@example.eu" in client.get("/account").text


def test_the_development_mail_page_is_not_found_outside_development(client):
    assert client.get("/dev/mail").status_code == 404


def test_the_development_mail_page_lists_and_shows_kept_messages(app, client, tmp_path):
    from email.message import EmailMessage

    from app.notifications.dev_server import mail_folder

    app.config["ENV"] = "development"
    app.instance_path = str(tmp_path)  # not the developer's instance folder
    message = EmailMessage()
    message["Subject"], message["To"], message["From"] = "Hello there", "ana@example.eu", "pool@example.eu"
    message.set_content("Open http://127.0.0.1:5000/account/verify?token=abc")
    message.add_alternative("<p>Hello <b>there</b></p>", subtype="html")
    (mail_folder(app.instance_path) / f"{1:020d}.eml").write_bytes(message.as_bytes())
    listing = client.get("/dev/mail")
    assert listing.status_code == 200 and "Hello there" in listing.text
    shown = client.get(f"/dev/mail/{1:020d}")
    assert shown.status_code == 200 and 'href="http://127.0.0.1:5000/account/verify?token=abc"' in shown.text
    html = client.get(f"/dev/mail/{1:020d}/html")
    assert "<b>there</b>" in html.text and "sandbox" in html.headers["Content-Security-Policy"]
    assert client.get("/dev/mail/../../etc").status_code == 404

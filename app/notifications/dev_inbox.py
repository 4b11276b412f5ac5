"""`/dev/mail`: the messages the development mail server kept, listed and shown; 404 outside development.

Only with `TALENTPOOL_ENV=development` (as `make run` sets): everywhere else every URL here is
not found, so a production deployment cannot show anyone's mail. A message's HTML part is served
on its own URL with a sandboxing content security policy (no script, no request anywhere).
"""
from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from flask import Blueprint, Response, abort, current_app, render_template

from app.notifications.dev_server import mail_folder

blp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail", template_folder="templates")
NAME = re.compile(r"^[0-9]{20}$")
HTML_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@blp.before_request
def development_only():
    if current_app.config.get("ENV") != "development":
        abort(404)


def _read(name: str) -> EmailMessage:
    if not NAME.match(name):
        abort(404)
    path = mail_folder(current_app.instance_path) / f"{name}.eml"
    if not path.is_file():
        abort(404)
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""


def kept() -> list[dict]:
    """The kept messages, newest first: name, sender, recipient, subject, date."""
    folder = mail_folder(current_app.instance_path)
    rows = []
    for path in sorted(folder.glob("*.eml"), reverse=True):
        with path.open("rb") as file:
            headers = BytesParser(policy=policy.default).parse(file, headersonly=True)
        rows.append({"name": path.stem, "from": headers["From"], "to": headers["To"],
                     "subject": headers["Subject"], "date": headers["Date"]})
    return rows


@blp.get("")
def index():
    return render_template("dev_mail/index.html", messages=kept())


@blp.get("/<name>")
def show(name: str):
    message = _read(name)
    return render_template("dev_mail/message.html", name=name, message=message, text=_part(message, "plain"))


@blp.get("/<name>/html")
def html(name: str):
    return Response(_part(_read(name), "html"), mimetype="text/html",
                    headers={"Content-Security-Policy": HTML_POLICY})

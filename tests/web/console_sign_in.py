"""Signing an official or administrator in through the pages: the password, then the code step."""
from __future__ import annotations

from conftest import PASSWORD, second_factor_code
from profile_form_posts import csrf_token


def post_password(client, email, next_page="", password=PASSWORD):
    token = csrf_token(client.get("/sign-in").text)
    return client.post("/sign-in", data={"csrf_token": token, "email": email, "password": password,
                                         "next": next_page})


def post_code(client, code):
    token = csrf_token(client.get("/sign-in/code").text)
    return client.post("/sign-in/code", data={"csrf_token": token, "code": code})


def sign_in(client, email, next_page=""):
    """Both steps; the answer to the code (for a candidate, the answer to the password)."""
    answer = post_password(client, email, next_page)
    if answer.status_code != 303 or not answer.headers["Location"].endswith("/sign-in/code"):
        return answer
    return post_code(client, second_factor_code(client.application, email))

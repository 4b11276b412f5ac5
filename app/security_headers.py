"""Headers every response carries: what a browser may load or frame, and what nobody may store.

The API is JSON for programs, plus one page (`/api/docs`, Swagger UI, served from our own origin by
`app.swagger_ui`), so the content security policy can be strict: only same-origin scripts, styles
and images, no inline script, no plugins, no framing, no `<base>`, forms only to ourselves. The
docs page alone also allows inline styles and `data:` images: Swagger UI sets style attributes in
the markup it renders and draws its icons from `data:` SVGs in its stylesheet (without them it
works but looks broken). Its scripts stay same-origin only: that is where injection would hurt.

`Cache-Control: no-store` goes on every response that may be personal or secret: anything asked
with credentials (tokens, profiles, exports, invitations, official and administrator data) and
every answer to a non-GET (a new token is in a POST's answer). Public GETs keep what their view set.
HSTS only when the request arrived over HTTPS (as `app.proxies` reports it behind a proxy): sent
over plain HTTP it means nothing, and on a developer's loopback it would pin the name to HTTPS.
"""
from __future__ import annotations

from flask import Flask, Response, request

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(**relaxed: str) -> str:
    """The policy as a header value, with the directives in `relaxed` (`style_src=...`) replaced."""
    directives = {**POLICY, **{name.replace("_", "-"): value for name, value in relaxed.items()}}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


CONTENT_SECURITY_POLICY = content_security_policy()
DOCS_PAGE_POLICY = content_security_policy(style_src="'self' 'unsafe-inline'", img_src="'self' data:")
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def carries_credentials() -> bool:
    """Whether the request was sent with credentials (a bearer token today; cookies, should they come)."""
    return "Authorization" in request.headers or "Cookie" in request.headers


def add_security_headers(response: Response) -> Response:
    """The `after_request` hook: runs for every response, errors included."""
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if carries_credentials() or request.method not in SAFE_METHODS:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    """Install the hook."""
    app.after_request(add_security_headers)

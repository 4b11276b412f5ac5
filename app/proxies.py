"""Believe `X-Forwarded-For` and `X-Forwarded-Proto` only from the reverse proxies we were told about.

Behind nginx the service sees the proxy's address and plain HTTP; the proxy says who the client
was and whether it came over HTTPS (which decides HSTS, in `app.security_headers`). Without a
proxy those headers come from the client and must be ignored, so the default trusts nobody:
set `TRUSTED_PROXIES` to the number of proxies in front of the service (1 for one nginx).
"""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Wrap the WSGI application in Werkzeug's ProxyFix when `TRUSTED_PROXIES` > 0."""
    trusted = int(app.config["TRUSTED_PROXIES"])
    if trusted > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)

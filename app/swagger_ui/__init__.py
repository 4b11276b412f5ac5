"""`/api/docs`: Swagger UI from the pinned `swagger-ui-bundle` package, served by the service itself.

flask-smorest's own page loads Swagger UI from wherever `OPENAPI_SWAGGER_UI_URL` points (a public
CDN, by default, without integrity attributes: a blank page offline) and starts it with an inline
script, which our content security policy forbids. So its files are served here, from the
package installed with the service, under `OPENAPI_SWAGGER_UI_URL` (`/api/docs/assets/`), and flask-smorest's view for
`/api/docs` is replaced by one rendering our page, which starts Swagger UI from a small script
file of ours (`static/initializer.js`); the page passes it the document's address in a data attribute.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, render_template, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path

from app.security_headers import DOCS_PAGE_POLICY

HERE = Path(__file__).parent
# Our endpoints join flask-smorest's documentation endpoints under its blueprint's name: they are
# the documentation's, not the API's (and so not in the OpenAPI document).
SMOREST_DOCS = "api-docs"
SWAGGER_UI_PAGE = f"{SMOREST_DOCS}.openapi_swagger_ui"
ASSET = f"{SMOREST_DOCS}.swagger_ui_asset"
INITIALIZER = f"{SMOREST_DOCS}.swagger_ui_initializer"

# Only for the page's template.
templates = Blueprint("swagger_ui", __name__, template_folder="templates")


def asset(filename: str):
    """A file of the pinned Swagger UI release (stylesheet, scripts)."""
    return send_from_directory(swagger_ui_path, filename)


def initializer():
    """Our script that starts Swagger UI (an inline script would break the CSP)."""
    return send_from_directory(HERE / "static", "initializer.js", mimetype="text/javascript")


def page():
    """The `/api/docs` page: Swagger UI's stylesheet and scripts, all from this origin (see its CSP in `app.security_headers`)."""
    html = render_template("swagger_ui/page.html", title=current_app.config["API_TITLE"],
                           spec_url=url_for(f"{SMOREST_DOCS}.openapi_json"), asset=ASSET, initializer=INITIALIZER,
                           config=current_app.config.get("OPENAPI_SWAGGER_UI_CONFIG", {}))
    return html, {"Content-Security-Policy": DOCS_PAGE_POLICY}


def init_app(app: Flask) -> None:
    """Serve the files and put our page in place of flask-smorest's (so: after `app.openapi`)."""
    if SWAGGER_UI_PAGE not in app.view_functions:
        return  # Swagger UI switched off (OPENAPI_SWAGGER_UI_PATH or _URL unset)
    app.register_blueprint(templates)
    base = app.config["OPENAPI_SWAGGER_UI_URL"].rstrip("/")
    app.add_url_rule(f"{base}/<path:filename>", endpoint=ASSET, view_func=asset)
    app.add_url_rule(f"{base}/initializer.js", endpoint=INITIALIZER, view_func=initializer)
    app.view_functions[SWAGGER_UI_PAGE] = page

"""Talent Pool web service: the application factory."""
from __future__ import annotations

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; `test_config` replaces the instance file and the environment."""
    from app import (api, cli, config, db, errors, migrate, private_files, proxies, requests, rounds_cli,
                     security_headers, swagger_ui)

    app = Flask(__name__, instance_relative_config=True)
    app.json.sort_keys = False  # keep the schemas' field order: ids and codes first
    config.load(app, test_config)
    private_files.make_private_folder(app.instance_path)
    db.init_app(app)
    requests.init_app(app)
    api.init_app(app)
    swagger_ui.init_app(app)  # after the API: it replaces flask-smorest's /api/docs view
    security_headers.init_app(app)
    proxies.init_app(app)
    errors.init_app(app)  # after the API, whose own HTTP error handler this replaces
    migrate.init_app(app)
    cli.init_app(app)
    rounds_cli.init_app(app)
    return app

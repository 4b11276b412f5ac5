"""Talent Pool web service: the application factory."""
from __future__ import annotations

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; `test_config` replaces the instance file and the environment."""
    from app import (config, db, errors, migrate, openapi, private_files, proxies, request_timing, requests, scheduler,
                     security_headers, swagger_ui, web)
    from app.accounts import cli as accounts_cli
    from app.demo import cli as demo_cli
    from app.notifications import cli as mail_cli
    from app.notifications import outbox
    from app.ranking_runs import cli as ranking_runs_cli
    from app.rounds import cli as rounds_cli

    # No static folder of the app's own: the pages' files are served by `app.web` at /static/.
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    app.json.sort_keys = False  # keep the schemas' field order: ids and codes first
    config.load(app, test_config)
    private_files.make_private_folder(app.instance_path)
    db.init_app(app)
    request_timing.init_app(app)  # first: its before_request hook starts the clock, its after_request ends it
    requests.init_app(app)
    openapi.init_app(app)
    swagger_ui.init_app(app)  # after the API: it replaces flask-smorest's /api/docs view
    security_headers.init_app(app)
    proxies.init_app(app)
    errors.init_app(app)  # after the API, whose own HTTP error handler this replaces
    web.init_app(app)  # after errors: its error pages wrap those for page requests
    outbox.init_app(app)  # the mail templates, which use the pages' template globals
    migrate.init_app(app)
    for commands in (accounts_cli, ranking_runs_cli, rounds_cli, demo_cli, scheduler, mail_cli):
        commands.init_app(app)
    db.init_request_commit(app)  # last: see its docstring
    return app

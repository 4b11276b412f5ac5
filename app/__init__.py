"""Talent Pool web service: the application factory."""
from flask import Flask


def create_app(test_config=None):
    """Build the Flask application; `test_config` overrides every other source of settings."""
    app = Flask(__name__, instance_relative_config=True)
    if test_config:
        app.config.update(test_config)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app

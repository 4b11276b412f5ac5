"""Entry point for gunicorn: `gunicorn wsgi:app`."""
from app import create_app
from app.config import require_production_mail, require_production_secret

app = create_app()
require_production_secret(app)
require_production_mail(app)

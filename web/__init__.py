"""The readers' web front end (Flask). Production: ``gunicorn 'web:create_app()'``."""

from web.app import create_app

__all__ = ["create_app"]

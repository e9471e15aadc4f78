"""WSGI entry point for production servers (``credence serve`` runs gunicorn on it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")
application = get_wsgi_application()

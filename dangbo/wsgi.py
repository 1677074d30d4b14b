"""WSGI entry point (gunicorn runs ``dangbo.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
application = get_wsgi_application()

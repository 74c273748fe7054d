"""WSGI entry point for gunicorn (docs/operator-guide.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunlight.settings")
application = get_wsgi_application()

# The fingerprint of the code this process renders decision pages with, read now, while the files are the ones it
# loaded: an upgrade installs the next version's files before it reloads the workers (docs/operator-guide.md 11).
from sunlight.publicity.page_cache import build  # noqa: E402

build()

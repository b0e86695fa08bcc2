"""The portal as gunicorn serves it, with the bare view of bench/_hello_urls.py added."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django
from django.conf import settings

django.setup()
settings.ROOT_URLCONF = "bench._hello_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

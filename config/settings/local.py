"""Development on a laptop: embedded SQLite, debug on, e-mail printed to the console."""

from .base import *  # noqa: F403
from .base import env_secret

DEBUG = True
SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

"""The portal's settings for the gunicorn a fault test starts: every client of the test comes
from 127.0.0.1, so the per-address limits (tracking 30 a minute) are off; the rest as is."""

from portal.settings.base import *  # noqa: F403

RATELIMIT_ENABLE = False

"""The portal's settings for the demo server a test starts (tests/portal/test_concurrent_use.py):
the portal's own, which also accept the fast password hashes the tests' accounts are made
with (tests/conftest.py), so people log in through the real login page."""

from django.conf import global_settings

from portal.settings.base import *  # noqa: F403

PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]

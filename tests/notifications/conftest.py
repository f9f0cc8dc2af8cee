import pytest


@pytest.fixture(autouse=True)
def _channels_to_memory(settings, tmp_path):
    """E-mail to Django's outbox, SMS to a file of this test, SMS text as shipped (ASCII)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    settings.PORTAL_BASE_URL = "https://dichvucong.thanhhoa.gov.vn"


@pytest.fixture
def sms_path(settings):
    from pathlib import Path

    return Path(settings.SMS_FILE_PATH)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run ``fn`` as a request would: its after-commit work (queueing, delivery) runs."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run

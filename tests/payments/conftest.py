import pytest


@pytest.fixture
def committed_events(django_capture_on_commit_callbacks):
    """Run ``fn`` with its after-commit work (events, notifications) executed."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run

"""Settings read from the environment: embedded default, production refusals, check --deploy.

Settings are read once per process, so every case runs in a subprocess with an
environment made here (not the one the tests run in). ``ENV_FILE=/dev/null`` keeps
a developer's ``.env`` out of it.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = "portal.settings.production"
BASE = "portal.settings.base"

GOOD = {
    "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
    "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "dichvucong.example.gov.vn",
    "VNPAY_HASH_SECRET": secrets.token_hex(16),
}

DUMP = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "LANGUAGE_CODE": s.LANGUAGE_CODE,
    "TIME_ZONE": s.TIME_ZONE,
    "USE_TZ": s.USE_TZ,
    "DEBUG": s.DEBUG,
    "ENGINE": s.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(s.DATABASES["default"]["NAME"]),
    "CACHE": s.CACHES["default"]["BACKEND"],
    "EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "BROKER": s.CELERY_BROKER_URL,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def run(args, settings_module, **env_vars):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "ENV_FILE": "/dev/null",
        "DJANGO_SETTINGS_MODULE": settings_module,
        **env_vars,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def dump(settings_module, **env_vars) -> dict:
    result = run(["-c", DUMP], settings_module, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Embedded default -----------------------------------------------------------------


def test_embedded_default_with_a_clean_environment():
    values = dump(BASE)
    assert values["LANGUAGE_CODE"] == "vi"
    assert values["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert values["USE_TZ"] is True
    assert values["DEBUG"] is False
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(BASE_DIR / "var" / "portal.sqlite3")
    assert values["CACHE"].endswith("LocMemCache")
    # No Redis: tasks run in-process, through the same code.
    assert values["EAGER"] is True
    assert values["BROKER"] == "memory://"
    assert values["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_database_url_and_redis_url_switch_services():
    values = dump(BASE, DATABASE_URL=GOOD["DATABASE_URL"], REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["CACHE"].endswith("RedisCache")
    assert values["EAGER"] is False
    assert values["BROKER"] == "redis://127.0.0.1:6379/3"


# --- Production refuses to start without what it needs ------------------------------------


@pytest.mark.parametrize(
    "change,message",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY"),
        ({"SECRET_KEY": "ab" * 30}, "SECRET_KEY"),  # long, but only 2 different characters
        ({"SECRET_KEY": "insecure-demo-key-only-for-the-embedded-default-never-in-production"}, "SECRET_KEY"),
        ({"DATABASE_URL": None}, "PostgreSQL"),  # SQLite default
        ({"DATABASE_URL": "sqlite:////tmp/portal.sqlite3"}, "PostgreSQL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"VNPAY_HASH_SECRET": None}, "VNPAY_HASH_SECRET"),  # the demo merchant's published secret
        ({"VNPAY_HASH_SECRET": "short"}, "VNPAY_HASH_SECRET"),
        ({"SECOND_FACTOR_REQUIRED": "false"}, "SECOND_FACTOR_REQUIRED"),
    ],
    ids=[
        "no-key",
        "short-key",
        "repetitive-key",
        "sample-key",
        "no-database",
        "sqlite",
        "no-redis",
        "no-hosts",
        "demo-vnpay-secret",
        "short-vnpay-secret",
        "no-second-factor",
    ],
)
def test_production_refuses_to_start(change, message):
    env_vars = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    result = run(["-c", "import django; django.setup()"], PRODUCTION, **env_vars)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_values():
    values = dump(PRODUCTION, **GOOD, CELERY_TASK_ALWAYS_EAGER="true", DEBUG="true")
    assert values["DEBUG"] is False
    assert values["EAGER"] is False  # never eager in production, whatever the environment says
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["BROKER"] == GOOD["REDIS_URL"]
    assert values["STATICFILES"].endswith("CompressedManifestStaticFilesStorage")
    assert values["EMAIL_BACKEND"].endswith("smtp.EmailBackend")


def test_check_deploy_passes_at_warning_level():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, **GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_health_check_is_not_redirected_to_https():
    """Probes speak plain HTTP to the container; every other path goes to HTTPS."""
    code = """
import django
django.setup()
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
mw = SecurityMiddleware(lambda request: HttpResponse("ok"))
rf = RequestFactory(HTTP_HOST="dichvucong.example.gov.vn")
print(mw(rf.get("/healthz")).status_code, mw(rf.get("/thu-tuc/")).status_code)
"""
    result = run(["-c", code], PRODUCTION, **GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


def test_the_image_build_step_can_load_the_production_settings():
    """The Dockerfile's collectstatic step sets only build-time values: they must be enough
    for the production settings to load (a new required setting breaks the image build)."""
    import re
    from pathlib import Path

    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    step = dockerfile[dockerfile.index("RUN SECRET_KEY=") : dockerfile.index("collectstatic --no-input")]
    build_env = dict(re.findall(r"([A-Z_]+)=(\S+)", step))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "VNPAY_HASH_SECRET"} <= set(build_env)
    result = run(["-c", "import django; django.setup()"], PRODUCTION, **build_env)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
@pytest.mark.postgres(reason="JIT compilation of queries (SHOW jit) is a PostgreSQL server setting; SQLite has no JIT")
def test_postgresql_connections_start_with_jit_off():
    """DECISIONS §25: the KPI page's catalog aggregate spent most of its time JIT-compiling."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default'].get('OPTIONS'))"
    )
    on = run(["-c", script], BASE, DATABASE_URL=GOOD["DATABASE_URL"], DB_JIT_OFF="false")
    assert on.returncode == 0 and on.stdout.strip().splitlines()[-1] == "{'connect_timeout': 5}", on.stderr


@pytest.mark.django_db
@pytest.mark.postgres(
    reason="libpq's connect_timeout against a server that never answers; SQLite opens a local file, no network "
    "connection to time out"
)
def test_a_database_that_never_answers_fails_the_connection_within_its_timeout(settings):
    """A host that accepts the connection and then says nothing (a fail-over, a dead VM):
    the request fails after DB_CONNECT_TIMEOUT seconds instead of holding a worker."""
    import socket
    import time

    import psycopg2
    from django.db import connection, connections
    from django.db.utils import OperationalError

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        params = {**connection.settings_dict, "PORT": silent.getsockname()[1], "HOST": "127.0.0.1"}
        params["OPTIONS"] = {**params["OPTIONS"], "connect_timeout": 2}
        wrapper = connections["default"].__class__(params, alias="silent")
        started = time.monotonic()
        with pytest.raises((OperationalError, psycopg2.OperationalError), match="timeout expired"):
            wrapper.connect()
        assert time.monotonic() - started < 6
    finally:
        silent.close()
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5

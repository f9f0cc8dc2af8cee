"""docker-compose.yml, the Dockerfile and .env.example, parsed (no Docker engine needed)."""

import re
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
QUEUES = {"default", "notifications", "payments", "documents"}
APP_SERVICES = ("web", "worker", "beat", "migrate")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command(service: dict) -> list[str]:
    cmd = service.get("command")
    if isinstance(cmd, str):
        return cmd.split()
    return [str(part) for part in cmd]


def option(cmd: list[str], *names: str) -> str | None:
    """The value of ``-Q x``, ``--queues=x`` and the like in a command line."""
    for i, part in enumerate(cmd):
        for name in names:
            if part == name and i + 1 < len(cmd):
                return cmd[i + 1]
            if part.startswith(name + "="):
                return part.split("=", 1)[1]
    return None


def test_services_present(services):
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)


def test_web_runs_gunicorn_on_the_wsgi_app(services):
    cmd = command(services["web"])
    assert cmd[0] == "gunicorn"
    assert "portal.wsgi:application" in cmd or "portal.wsgi" in cmd
    assert option(cmd, "--bind", "-b") == "0.0.0.0:8000"


def test_web_health_check_asks_healthz(services):
    health = services["web"]["healthcheck"]
    assert "/healthz" in " ".join(health["test"])
    assert health["retries"] >= 1


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_long_running_services_wait_for_healthy_db_redis_and_migrations(services, name):
    depends = services[name]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_is_one_shot(services):
    migrate = services["migrate"]
    assert command(migrate)[-3:] == ["manage.py", "migrate", "--no-input"]
    assert migrate.get("restart") == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


def test_worker_consumes_all_four_queues_fairly(services):
    cmd = command(services["worker"])
    assert cmd[:4] == ["celery", "-A", "portal", "worker"]
    queues = option(cmd, "-Q", "--queues")
    assert queues is not None
    assert set(queues.split(",")) == QUEUES
    assert option(cmd, "-O") == "fair"
    assert option(cmd, "--concurrency", "-c")
    assert int(option(cmd, "--max-tasks-per-child")) >= 1000  # not so low that forks eat the time
    assert 0 < int(option(cmd, "--max-memory-per-child")) <= 1_000_000  # KiB: children are recycled by memory


def test_worker_gets_time_to_finish_on_stop(services):
    grace = services["worker"]["stop_grace_period"]
    assert int(grace.rstrip("s")) > 45  # CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT


def test_exactly_one_beat_with_the_database_scheduler(services):
    beats = [name for name, svc in services.items() if svc.get("command") and "beat" in command(svc)]
    assert beats == ["beat"]
    beat = services["beat"]
    cmd = command(beat)
    assert cmd[:4] == ["celery", "-A", "portal", "beat"]
    assert option(cmd, "--scheduler", "-S") == "django_celery_beat.schedulers:DatabaseScheduler"
    assert beat["deploy"]["replicas"] == 1


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_production_settings(services, name):
    env = services[name]["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    assert services[name]["env_file"] == ".env"


def test_redis_keeps_messages(services, compose):
    redis = services["redis"]
    assert redis["image"].startswith("redis:7")
    cmd = command(redis)
    assert option(cmd, "--appendonly") == "yes"
    assert option(cmd, "--maxmemory-policy") == "noeviction"
    volume = redis["volumes"][0].split(":")
    assert volume[1] == "/data" and volume[0] in compose["volumes"]
    assert "redis-cli" in " ".join(redis["healthcheck"]["test"])


def test_postgres_has_a_volume_and_a_health_check(services, compose):
    db = services["db"]
    assert db["image"].startswith("postgres:15")
    volume = db["volumes"][0].split(":")
    assert volume[1] == "/var/lib/postgresql/data" and volume[0] in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_uploaded_files_survive_container_replacement(services, compose, name, dockerfile):
    mounts = dict(reversed(volume.split(":")[:2]) for volume in services[name]["volumes"])
    for variable in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        # The image points the setting at a folder; compose mounts a named volume there.
        path = re.search(rf"\b{variable}=(\S+)", dockerfile).group(1)
        assert mounts.get(path) in compose["volumes"], f"{variable}={path} is not on a volume in {name}"


# --- Dockerfile ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")


def test_dockerfile_base_and_system_libraries(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", dockerfile, re.M)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-core"):
        assert package in dockerfile
    assert "pip install --require-hashes -r requirements.lock" in dockerfile


def test_dockerfile_collects_static_and_runs_as_non_root(dockerfile):
    assert "collectstatic --no-input" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r'^CMD \["gunicorn", "portal\.wsgi:application"', dockerfile, re.M)


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (BASE_DIR / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".env", ".venv", "var", ".git"):
        assert entry in ignored


# --- .env.example ---------------------------------------------------------------------------

ENV_READ = re.compile(r'env(?:\.(?:str|bool|int|float|list|db|json|url))?\(\s*"([A-Z][A-Z0-9_]*)"')
COMPOSE_VAR = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


@pytest.fixture(scope="module")
def env_example() -> str:
    return (BASE_DIR / ".env.example").read_text(encoding="utf-8")


def test_env_example_documents_every_variable_the_settings_read(env_example):
    read = set()
    for path in (BASE_DIR / "portal" / "settings").glob("*.py"):
        read |= set(ENV_READ.findall(path.read_text(encoding="utf-8")))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= read
    missing = sorted(name for name in read if not re.search(rf"\b{name}\b", env_example))
    assert not missing, f"not documented in .env.example: {missing}"


def test_env_example_documents_every_compose_variable(env_example):
    used = set(COMPOSE_VAR.findall((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8")))
    missing = sorted(name for name in used if not re.search(rf"^{name}=", env_example, re.M))
    assert not missing, f"not in .env.example: {missing}"


def test_env_example_holds_no_secret(env_example):
    values = dict(
        line.split("=", 1) for line in env_example.splitlines() if line and not line.startswith("#") and "=" in line
    )
    assert values["SECRET_KEY"] == ""
    assert values["POSTGRES_PASSWORD"] == ""
    assert values["EMAIL_HOST_PASSWORD"] == ""

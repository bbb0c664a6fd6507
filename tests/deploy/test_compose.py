import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SCHEMA = json.loads((ROOT / "tests" / "data" / "compose-spec.json").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker", "beat"]


def test_compose_file_follows_the_compose_specification():
    # The specification declares draft-07.
    jsonschema.Draft7Validator(SCHEMA).validate(COMPOSE)


def test_it_has_the_services_production_needs():
    assert set(SERVICES) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert SERVICES["db"]["image"] == "postgres:16"
    assert SERVICES["redis"]["image"] == "redis:7"
    assert "noeviction" in SERVICES["redis"]["command"]


@pytest.mark.parametrize("name", ["db", "redis", "web"])
def test_long_running_servers_have_health_checks(name):
    assert SERVICES[name]["healthcheck"]["test"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_application_services_are_configured_to_start(name):
    service = SERVICES[name]
    environment = service["environment"]
    for variable in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert environment.get(variable), f"{name} lacks {variable}"
    # The required secrets stop compose with a message when .env does not set them.
    assert re.fullmatch(r"\$\{SECRET_KEY:\?.+\}", environment["SECRET_KEY"])
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert service["build"] == "."
    assert service["depends_on"]["db"]["condition"] == "service_healthy"
    assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "media:/app/media" in service["volumes"]


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_application_waits_for_the_migration(name):
    assert SERVICES[name]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_database_credentials_match_between_db_and_the_application():
    db_env = SERVICES["db"]["environment"]
    url = SERVICES["web"]["environment"]["DATABASE_URL"]
    user, password, name = re.fullmatch(r"postgres://([^:]+):(.+)@db:5432/(\w+)", url).groups()
    assert user == db_env["POSTGRES_USER"]
    assert password == db_env["POSTGRES_PASSWORD"]
    assert name == db_env["POSTGRES_DB"]


def test_commands_run_what_the_project_has():
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert SERVICES["web"]["command"][:2] == ["gunicorn", "association.wsgi"]
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "association", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "association", "beat"]
    assert SERVICES["migrate"]["restart"] == "no"


def test_every_named_volume_is_declared():
    used = {
        volume.split(":")[0]
        for service in SERVICES.values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/"))
    }
    assert used == set(COMPOSE["volumes"])


def test_dockerfile_builds_a_non_root_image_with_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "\nUSER portal\n" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "pip install -c constraints.txt" in dockerfile

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "association.settings.prod",
    "SECRET_KEY": "production-test-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://portal@db.invalid/portal",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}


def run(arguments, env):
    # The test process's own settings (and its async-safety switch) must not leak in.
    ignored = set(PRODUCTION) | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in ignored}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_python(code, env):
    return run(["-c", code], env)


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(variable):
    env = {key: value for key, value in PRODUCTION.items() if key != variable}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert f"The {variable} environment variable is required in production" in result.stderr


def test_production_starts_with_the_required_variables():
    result = run_python("import django; django.setup(); print('started')", PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_unknown_language_is_refused_with_a_message():
    result = run_python("import django; django.setup()", PRODUCTION | {"LANGUAGES": "en,xx"})
    assert "LANGUAGES names languages the portal has no translation for: xx" in result.stderr


def test_deploy_check_passes_under_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client, override_settings
# collectstatic has not run here: plain static storage instead of the manifest.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
client = Client()
host = {"host": "portal.example.org"}
about = client.get("/en/about/", secure=True, headers=host)
plain = client.get("/en/about/", headers=host)
probe = client.get("/healthz/", headers={"host": "10.0.0.7:8000"})
print(json.dumps({
    "about": about.status_code,
    "headers": dict(about.headers),
    "plain": [plain.status_code, plain.get("Location")],
    "probe": probe.status_code,
}))
"""


def database_url_for_the_test_database():
    """A URL for the test database, which a subprocess can read (not write: it is shared)."""
    database = connection.settings_dict
    host = quote(database["HOST"] or "localhost", safe="")
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{database['USER']}@{host}{port}/{database['NAME']}"


@pytest.mark.django_db
def test_security_headers_under_production_settings():
    servers = {
        "DATABASE_URL": database_url_for_the_test_database(),
        "REDIS_URL": settings.REDIS_URL,
    }
    result = run_python(HEADERS_SCRIPT, PRODUCTION | servers)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["about"] == 200
    headers = report["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert re.search(r"default-src 'self'", csp)
    assert re.search(r"script-src 'self'(;|$)", csp)
    # Plain HTTP is redirected to HTTPS.
    assert report["plain"] == [301, "https://portal.example.org/en/about/"]
    # A probe at the container's own address over plain HTTP is answered, not refused.
    assert report["probe"] == 200


def test_cookies_are_secure_and_http_only_in_production():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SECURE)"
    )
    result = run_python(code, PRODUCTION)
    assert result.stdout.split() == ["True"] * 5


def test_every_setting_read_from_the_environment_is_documented():
    read = set()
    for path in (ROOT / "association" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z0-9_]+)"', path.read_text()))
    example = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    readme = (ROOT / "README.md").read_text()
    assert read <= example, f"missing from .env.example: {read - example}"
    undocumented = {name for name in read if f"`{name}`" not in readme}
    assert not undocumented, f"missing from the README's table: {undocumented}"


def test_static_files_collect_under_production_settings(tmp_path):
    # The Docker build runs this: a vendored file that points at a missing one breaks the build.
    result = run(
        ["manage.py", "collectstatic", "--noinput", "-v", "0"],
        PRODUCTION | {"STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert "css/portal.css" in manifest["paths"]
    assert "vendor/leaflet/leaflet.js" in manifest["paths"]

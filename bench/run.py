"""`make bench`: the directory's pages under load, at 100,000 organisations.

It loads a deterministic directory of BENCH_ORGANISATIONS organisations (once) into its own
database, portal_bench, on the configured or embedded PostgreSQL; serves the portal with gunicorn
under the production settings on loopback; and drives each endpoint with wrk at concurrency 8,
beside a trivial Django view (the framework's floor). Per endpoint it records requests/s, p50
and p95 latency, errors, SQL queries and response bytes, and the ratio of its requests/s to the
floor's; the results go to bench/results/directory.json and a table is printed.
"""

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from association import devstack

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "directory.json"
ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "100000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8010"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
BENCH_DATABASE = "portal_bench"
BASE = f"http://127.0.0.1:{PORT}"

# The HTML pages, which visitors without a session get from the page cache.
PAGES = ["directory", "search", "filtered", "profile"]
# Targets from the directory issue, for the table (None: measured, no target).
TARGETS_MS = {
    "floor": None,
    "directory": 50,
    "search": 80,
    "filtered": 50,
    "profile": 50,
    "export_csv": None,
    "map": None,
}


def psycopg_url(url):
    # dj-database-url reads postgres://; libpq reads postgresql:// and the same rest.
    return "postgresql://" + url.split("://", 1)[1]


def use_bench_database():
    """Point DATABASE_URL at portal_bench on the configured server (or the embedded one)."""
    if not os.environ.get("DATABASE_URL"):
        devstack.DATABASE_NAME = BENCH_DATABASE
        devstack.ensure_services()
        return
    server = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(
        psycopg_url(server._replace(path="/postgres").geturl()), autocommit=True
    ) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    os.environ["DATABASE_URL"] = server._replace(path=f"/{BENCH_DATABASE}").geturl()
    devstack.ensure_services()


def manage(*args, settings="bench.settings", **env):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        check=True,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": settings} | env,
    )


def wait_until_up(server):
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            urllib.request.urlopen(f"{BASE}/healthz/", timeout=1)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 20 seconds")


def endpoints():
    """The paths to measure, chosen from the loaded data (in this process's Django)."""
    from django.db.models import Count

    from members.models import Organisation, Region

    region = Region.objects.annotate(n=Count("municipalities__organisations")).latest("n")
    biggest = Organisation.objects.filter(parent=None).annotate(n=Count("children")).latest("n")
    return {
        "floor": "/bench/floor/",
        "directory": "/en/members/",
        "search": "/en/members/?q=kol",
        "filtered": f"/en/members/?region={region.slug}&type=collective",
        "profile": f"/en/members/{biggest.slug}/",
        "export_csv": f"/en/members/export.csv?region={region.slug}",
        "map": "/en/members/map.json?bbox=20.9,53.8,26.9,56.5&zoom=7",
    }


def queries_and_bytes(path):
    """SQL queries and response bytes of one request served in this process, the page built
    (not taken from the page cache) with the other caches warm, as they are under load."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"host": "127.0.0.1"})
    client.get(path)
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return len(queries), len(body), body


def drive(path):
    command = [
        "wrk", "--threads", "2", "--connections", str(CONCURRENCY), "--duration", f"{DURATION}s",
        "--timeout", "10s", "--script", str(ROOT / "bench" / "percentiles.lua"), BASE + path,
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = json.loads(re.search(r"^JSON (.*)$", output, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["errors"] += int(non_2xx.group(1)) if non_2xx else 0
    figures["requests_per_second"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


def run_server(paths, **env):
    """Drive each path with wrk against gunicorn under the production settings."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "association.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"} | env,
    )  # fmt: skip
    try:
        wait_until_up(server)
        for path in paths.values():  # every worker's pool, templates and caches warm
            for _ in range(WORKERS * 3):
                urllib.request.urlopen(BASE + path, timeout=30).read()  # noqa: S310 - loopback
        return {name: drive(path) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


def page_weight(html):
    """The directory page's HTML, CSS and JavaScript, gzipped, in bytes."""
    static = ROOT / "static"
    assets = [static / "css" / "portal.css", static / "vendor" / "htmx" / "htmx.min.js"]
    return len(gzip.compress(html)) + sum(len(gzip.compress(a.read_bytes())) for a in assets)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("make bench needs wrk: apt-get install wrk")
    use_bench_database()
    env = {
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(ROOT / ".devdata" / "bench-static"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    manage("migrate", "--noinput", "-v", "0")
    print(f"Loading {ORGANISATIONS} organisations (once)...", flush=True)
    manage(
        "seed_demo", "--organisations", str(ORGANISATIONS), "--seed", "1",
        settings="association.settings.dev", DEBUG="true",
    )  # fmt: skip
    # Statistics and the visibility map after a bulk load, as autovacuum keeps them in use.
    with psycopg.connect(psycopg_url(os.environ["DATABASE_URL"]), autocommit=True) as database:
        database.execute("VACUUM ANALYZE")
    manage("collectstatic", "--noinput", "-v", "0")

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    paths = endpoints()
    measured = {name: queries_and_bytes(path) for name, path in paths.items()}

    results = run_server(paths)
    # The same pages built on every request: what a visitor with a session, or the first
    # visitor after a change, waits for.
    built = run_server({name: paths[name] for name in PAGES}, PAGE_CACHE_SECONDS="0")

    floor = results["floor"]["requests_per_second"]
    for name, figures in results.items():
        queries, size, _body = measured[name]
        figures.update(
            path=paths[name],
            sql_queries=queries,
            response_bytes=size,
            ratio_to_floor=round(figures["requests_per_second"] / floor, 3),
            target_p95_ms=TARGETS_MS[name],
        )
        if name in built:
            figures["built_p50_ms"] = built[name]["p50_ms"]
            figures["built_p95_ms"] = built[name]["p95_ms"]
            figures["built_requests_per_second"] = built[name]["requests_per_second"]
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "organisations": ORGANISATIONS,
        "concurrency": CONCURRENCY,
        "seconds_per_endpoint": DURATION,
        "gunicorn_workers": WORKERS,
        "cpus": os.cpu_count(),
        "directory_page_gzipped_bytes": page_weight(measured["directory"][2]),
        "endpoints": results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")

    print(f"{'endpoint':<11} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'target':>6} "
          f"{'errors':>6} {'queries':>7} {'bytes':>9} {'÷floor':>7} {'built p95':>9} "
          f"{'built req/s':>11}")  # fmt: skip
    for name, f in results.items():
        target = f["target_p95_ms"] or "-"
        print(f"{name:<11} {f['requests_per_second']:>8} {f['p50_ms']:>7.1f} {f['p95_ms']:>7.1f} "
              f"{target:>6} {f['errors']:>6} {f['sql_queries']:>7} {f['response_bytes']:>9} "
              f"{f['ratio_to_floor']:>7} {f.get('built_p95_ms', '-'):>9} "
              f"{f.get('built_requests_per_second', '-'):>11}")  # fmt: skip
    print(
        f"directory page, HTML + CSS + JS gzipped: {report['directory_page_gzipped_bytes']} bytes"
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""`make bench`: the directory's, the projects' and the positions' pages under load, at 100,000
organisations, 10,000 projects and 5,000 positions.

It loads a deterministic directory of BENCH_ORGANISATIONS organisations, BENCH_PROJECTS projects
and BENCH_POSITIONS published positions (once) into its own database, portal_bench, on the
configured or embedded PostgreSQL; serves the portal with gunicorn under the production settings
on loopback; and drives each endpoint with wrk at concurrency 8 (downloads are fetched one at a
time), beside a trivial Django view (the framework's floor). Per endpoint it records
requests/s, p50 and p95 latency, errors, SQL queries and response bytes, and the ratio of its
requests/s to the floor's; each suite's results go to bench/results/<suite>.json
(directory.json, projects.json, advocacy.json) and a table is printed. The newsletter run
(bench/newsletter.py) sends one campaign to 60,000 subscribers through a real Celery worker and
writes bench/results/newsletter.json.
"""

import gzip
import json
import math
import os
import re
import shutil
import statistics
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
RESULTS = ROOT / "bench" / "results"
ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "100000"))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
POSITIONS = int(os.environ.get("BENCH_POSITIONS", "5000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "2000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8010"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "portal_bench")
BASE = f"http://127.0.0.1:{PORT}"

# Streamed downloads of every published project (25 MB, seconds to build, at 10,000 projects):
# fetched one after another, as a harvester would, since eight at once on a small machine would
# measure the queue in front of them, and wrk gives up on a response after 10 seconds.
DOWNLOADS = {"giving360"}
DOWNLOAD_REQUESTS = int(os.environ.get("BENCH_DOWNLOAD_REQUESTS", "5"))


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


def directory_paths():
    """The directory's paths to measure, chosen from the loaded data (in this process's Django)."""
    from django.db.models import Count

    from members.models import Organisation, Region

    region = Region.objects.annotate(n=Count("municipalities__organisations")).latest("n")
    biggest = Organisation.objects.filter(parent=None).annotate(n=Count("children")).latest("n")
    return {
        "directory": "/en/members/",
        "search": "/en/members/?q=kol",
        "filtered": f"/en/members/?region={region.slug}&type=collective",
        "profile": f"/en/members/{biggest.slug}/",
        "export_csv": f"/en/members/export.csv?region={region.slug}",
        "map": "/en/members/map.json?bbox=20.9,53.8,26.9,56.5&zoom=7",
    }


def projects_paths():
    """The projects' paths: the list, the list filtered by the funder with most projects and its
    commonest year, the page of a project with the most partners, and the 360Giving data."""
    from django.db.models import Count, Q

    from projects.models import Funder, Project

    published = Project.objects.published()
    funder = (
        Funder.objects.annotate(n=Count("projects", filter=Q(projects__published=True)))
        .order_by("-n", "id")
        .first()
    )
    year = (
        published.filter(funder=funder)
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n", "-year")[0]["year"]
    )
    biggest = published.annotate(n=Count("partners")).order_by("-n", "id").first()
    return {
        "projects": "/en/projects/",
        "projects_filtered": f"/en/projects/?funder={funder.slug}&year={year}",
        "project": f"/en/projects/{biggest.slug}/",
        "giving360": "/projects/360giving.json",
    }


def advocacy_paths():
    """The positions' paths: the list, the consultation responses of the year with the most of
    them, the page of the position with the most co-signers, and the Atom feed."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear

    from advocacy.models import Position

    published = Position.objects.published()
    year = (
        published.filter(kind=Position.Kind.CONSULTATION_RESPONSE)
        .values(year=ExtractYear("published_at"))
        .annotate(n=Count("id"))
        .order_by("-n", "-year")[0]["year"]
    )
    most = (
        published.annotate(n=Count("endorsements", filter=Q(endorsements__withdrawn_at=None)))
        .order_by("-n", "id")
        .first()
    )
    return {
        "positions": "/en/advocacy/positions/",
        "positions_filtered": f"/en/advocacy/positions/?kind=response&year={year}",
        "position": f"/en/advocacy/positions/{most.slug}/",
        "feed": "/en/advocacy/positions/feed/",
    }


def events_paths():
    """The events' paths: the upcoming list and the page of the next event with a map."""
    from events.models import Event

    event = (
        Event.objects.published()
        .upcoming()
        .exclude(latitude=None)
        .order_by("starts_at", "id")
        .first()
    )
    return {"events": "/en/events/", "event": f"/en/events/{event.slug}/"}


# Each suite's paths, chosen from the loaded data; its endpoints with their p95 targets from the
# issues (None: measured, no target); the pages that visitors without a session get from the page
# cache, driven again built; and the sizes its results report. The floor is measured once and
# reported in every suite.
SUITES = {
    "directory": {
        "paths": directory_paths,
        "targets_ms": {
            "floor": None,
            "directory": 50,
            "search": 80,
            "filtered": 50,
            "profile": 50,
            "export_csv": None,
            "map": None,
        },
        "pages": ["directory", "search", "filtered", "profile"],
    },
    "projects": {
        "paths": projects_paths,
        "targets_ms": {
            "floor": None,
            "projects": 50,
            "projects_filtered": 50,
            "project": 50,
            "giving360": None,
        },
        "pages": ["projects", "projects_filtered", "project"],
        "sizes": {"projects": PROJECTS},
    },
    "advocacy": {
        "paths": advocacy_paths,
        "targets_ms": {
            "floor": None,
            "positions": 50,
            "positions_filtered": 50,
            "position": 50,
            "feed": None,
        },
        # The feed is built per request too when the page cache is off.
        "pages": ["positions", "positions_filtered", "position", "feed"],
        "sizes": {"positions": POSITIONS},
    },
    "events": {
        "paths": events_paths,
        "targets_ms": {"floor": None, "events": 50, "event": 50},
        "pages": ["events", "event"],
        "sizes": {"events": EVENTS},
    },
}
# BENCH_SUITES=projects measures one suite (the data is loaded all the same); "newsletter" is the
# sending run of bench/newsletter.py.
CHOSEN = os.environ.get("BENCH_SUITES", ",".join([*SUITES, "newsletter"])).split(",")
WEB = [suite for suite in CHOSEN if suite in SUITES]


def endpoints():
    paths = {"floor": "/bench/floor/"}
    for suite in WEB:
        paths |= SUITES[suite]["paths"]()
    return paths


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


def fetch(path):
    """A download's latency, to its last byte, over DOWNLOAD_REQUESTS requests one at a time."""
    times = []
    for _ in range(DOWNLOAD_REQUESTS):
        start = time.perf_counter()
        with urllib.request.urlopen(BASE + path, timeout=600) as response:  # noqa: S310 - loopback
            while response.read(1 << 20):
                pass
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "requests": len(times),
        "seconds": round(sum(times), 3),
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(times[math.ceil(0.95 * len(times)) - 1] * 1000, 2),  # nearest rank
        "errors": 0,
        "requests_per_second": round(len(times) / sum(times), 1),
        "concurrency": 1,
    }


def run_server(paths, **env):
    """Drive each path with wrk against gunicorn under the production settings."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "association.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"} | env,
    )  # fmt: skip
    try:
        wait_until_up(server)
        for name, path in paths.items():  # every worker's pool, templates and caches warm
            for _ in range(1 if name in DOWNLOADS else WORKERS * 3):
                urllib.request.urlopen(BASE + path, timeout=600).read()  # noqa: S310 - loopback
        return {
            name: fetch(path) if name in DOWNLOADS else drive(path) for name, path in paths.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def page_weight(html):
    """A page's HTML, CSS and JavaScript, gzipped, in bytes."""
    static = ROOT / "static"
    assets = [static / "css" / "portal.css", static / "vendor" / "htmx" / "htmx.min.js"]
    return len(gzip.compress(html)) + sum(len(gzip.compress(a.read_bytes())) for a in assets)


def report(suite, paths, measured, results, built):
    """Write one suite's results to bench/results/<suite>.json and print its table."""
    targets, pages = SUITES[suite]["targets_ms"], SUITES[suite]["pages"]
    floor = results["floor"]["requests_per_second"]
    endpoints = {}
    for name in targets:
        queries, size, _body = measured[name]
        figures = results[name] | {
            "path": paths[name],
            "sql_queries": queries,
            "response_bytes": size,
            "ratio_to_floor": round(results[name]["requests_per_second"] / floor, 3),
            "target_p95_ms": targets[name],
        }
        if name in pages:
            figures["built_p50_ms"] = built[name]["p50_ms"]
            figures["built_p95_ms"] = built[name]["p95_ms"]
            figures["built_requests_per_second"] = built[name]["requests_per_second"]
        endpoints[name] = figures
    weight = f"{pages[0]}_page_gzipped_bytes"
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "organisations": ORGANISATIONS,
        **SUITES[suite].get("sizes", {}),
        "concurrency": CONCURRENCY,
        "seconds_per_endpoint": DURATION,
        "gunicorn_workers": WORKERS,
        "cpus": os.cpu_count(),
        weight: page_weight(measured[pages[0]][2]),
        "endpoints": endpoints,
    }
    path = RESULTS / f"{suite}.json"
    RESULTS.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")

    width = max(map(len, endpoints))
    print(f"{'endpoint':<{width}} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'target':>6} "
          f"{'errors':>6} {'queries':>7} {'bytes':>9} {'÷floor':>7} {'built p95':>9} "
          f"{'built req/s':>11}")  # fmt: skip
    for name, f in endpoints.items():
        target = f["target_p95_ms"] or "-"
        print(f"{name:<{width}} {f['requests_per_second']:>8} {f['p50_ms']:>7.1f} "
              f"{f['p95_ms']:>7.1f} {target:>6} {f['errors']:>6} {f['sql_queries']:>7} "
              f"{f['response_bytes']:>9} {f['ratio_to_floor']:>7} {f.get('built_p95_ms', '-'):>9} "
              f"{f.get('built_requests_per_second', '-'):>11}")  # fmt: skip
    print(f"{pages[0]} page, HTML + CSS + JS gzipped: {data[weight]} bytes")
    print(f"Written to {path.relative_to(ROOT)}")


def main():
    if WEB and not shutil.which("wrk"):
        raise SystemExit("make bench needs wrk: apt-get install wrk")
    unknown = set(CHOSEN) - {*SUITES, "newsletter"}
    if unknown:
        raise SystemExit(f"BENCH_SUITES: no suite {', '.join(sorted(unknown))}")
    use_bench_database()
    env = {
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(ROOT / ".devdata" / "bench-static"),
        "LOG_LEVEL": "WARNING",
        # Its own Celery queue: a worker of `make run` on the same Redis takes no bench task.
        "CELERY_QUEUE": "bench",
    }
    os.environ.update(env)
    manage("migrate", "--noinput", "-v", "0")
    print(
        f"Loading {ORGANISATIONS} organisations, {PROJECTS} projects, {POSITIONS} positions and "
        f"{EVENTS} events (once)...",
        flush=True,
    )
    manage(
        "seed_demo", "--organisations", str(ORGANISATIONS), "--projects", str(PROJECTS),
        "--positions", str(POSITIONS), "--events", str(EVENTS), "--seed", "1",
        settings="association.settings.dev", DEBUG="true",
    )  # fmt: skip
    # Statistics and the visibility map after a bulk load, as autovacuum keeps them in use.
    with psycopg.connect(psycopg_url(os.environ["DATABASE_URL"]), autocommit=True) as database:
        database.execute("VACUUM ANALYZE")
    manage("collectstatic", "--noinput", "-v", "0")

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    if WEB:
        measure_pages()
    if "newsletter" in CHOSEN:
        from bench import newsletter

        newsletter.run()


def measure_pages():
    paths = endpoints()
    measured = {name: queries_and_bytes(path) for name, path in paths.items()}

    results = run_server(paths)
    # The same pages built on every request: what a visitor with a session, or the first
    # visitor after a change, waits for.
    pages = [name for suite in WEB for name in SUITES[suite]["pages"]]
    built = run_server({name: paths[name] for name in pages}, PAGE_CACHE_SECONDS="0")
    for suite in WEB:
        report(suite, paths, measured, results, built)


if __name__ == "__main__":
    main()

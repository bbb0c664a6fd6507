"""`make bench`: page latency under concurrent load, against gunicorn as in production.

It uses its own database (portal_bench) on the configured or embedded PostgreSQL, loads the demo
data, starts gunicorn with DEBUG off, sends requests from CONCURRENCY clients for DURATION
seconds per page, and writes the figures to bench/results/<timestamp>.json.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from association import devstack

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGES = {
    "home": "/en/",
    "about": "/en/about/",
    "sign-in": "/en/accounts/login/",
    "healthz": "/healthz/",
}
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = float(os.environ.get("BENCH_DURATION", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8010"))
BENCH_DATABASE = "portal_bench"


def measure(path):
    latencies, errors = [], []
    deadline = time.monotonic() + DURATION

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status == 200:
                latencies.append(elapsed)
            else:
                errors.append(response.status)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "requests_per_second": round(len(latencies) / DURATION, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p95_ms": round(quantiles[94] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
    }


def wait_until_up(process):
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("GET", "/healthz/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 20 seconds")


def use_bench_database():
    """Point DATABASE_URL at portal_bench on the configured server (or the embedded one)."""
    if not os.environ.get("DATABASE_URL"):
        devstack.DATABASE_NAME = BENCH_DATABASE
        devstack.ensure_services()
        return
    server = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(server._replace(path="/postgres").geturl(), autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    os.environ["DATABASE_URL"] = server._replace(path=f"/{BENCH_DATABASE}").geturl()
    devstack.ensure_services()


def main():
    use_bench_database()
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "association.settings.dev"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=env)
    subprocess.run([*manage, "seed_demo"], check=True, env=env, stdout=subprocess.DEVNULL)
    workers = os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1)))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "association.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            workers,
            "--log-level",
            "warning",
        ],
        env=env | {"DEBUG": "false"},
    )
    try:
        wait_until_up(server)
        for path in PAGES.values():  # warm up every worker's connection pool and templates
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            for _ in range(int(workers) * 4):
                connection.request("GET", path)
                connection.getresponse().read()
            connection.close()
        results = {name: measure(path) for name, path in PAGES.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "concurrency": CONCURRENCY,
        "seconds_per_page": DURATION,
        "gunicorn_workers": int(workers),
        "cpus": os.cpu_count(),
        "pages": results,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{report['when'].replace(':', '')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'page':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, figures in results.items():
        print(
            f"{name:<10} {figures['requests_per_second']:>8} {figures['p50_ms']:>8} "
            f"{figures['p95_ms']:>8} {figures['p99_ms']:>8} {figures['errors']:>7}"
        )
    print(f"Written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

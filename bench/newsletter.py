"""The newsletter run of `make bench`: one campaign to BENCH_SUBSCRIBERS (60,000) confirmed
subscribers, sent by a real Celery worker with 2 processes to a real SMTP server on loopback
(bench/smtpsink.py, in its own process), beside the limit: a plain smtplib loop sending the same
rendered messages over one connection to a fresh sink. It records messages per second, the ratio
to the limit, the worker's memory (the proportional set size of its processes, sampled twice a
second) and duplicates (messages a recipient received more than once), writes them to
bench/results/newsletter.json and prints them.

Called by bench/run.py with Django set up on the bench database and settings."""

import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "60000"))
WORKER_PROCESSES = 2
# The global rate limit is a setting sized to the association's mail provider (50 per second
# by default); here it is set far above what the worker reaches, so that the run measures the
# sending and still pays for the shared Redis counter on every message.
RATE_LIMIT = int(os.environ.get("BENCH_NEWSLETTER_RATE", "10000"))
LIMIT_DISTINCT = 2000  # messages rendered for the smtplib loop, each sent LIMIT_ROUNDS times
LIMIT_ROUNDS = 5
LIMIT_RUNS = 3
SUBJECT = "Bench newsletter"
# A month's letter, of the length newsletters have (the bench data has no news to fill sections).
INTRO = "\n\n".join(
    [
        "Dear friends of culture centres,",
        "The autumn forum in Kėdainiai gathered 240 people from 58 centres: choirs, folk "
        "dance groups, theatre studios and the directors who keep their rooms warm. Thank you "
        "to everyone who came, and to the Šiauliai and Utena teams who ran the workshops.",
        "The ministry has opened its consultation on the culture budget for 2027. Members can "
        "give input on the association's draft response until the end of the month; the "
        "secretariat collects it on the portal and brings it to the council in December.",
        "Two funding calls close soon: the rural culture programme (small grants for village "
        "centres, up to 5,000 euros) and the international co-operation call for exchanges "
        "between amateur art groups. Both accept applications in Lithuanian and English.",
        "Next month we publish the first results of the survey of member centres: staff, "
        "buildings, funding and audiences. If your centre has not answered yet, there is "
        "still a week. — The secretariat",
    ]
)
TARGETS = {
    "messages_per_second": 200,
    "ratio_to_limit": 0.5,
    "worker_memory_mb": 250,
    "duplicates": 0,
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """bench/smtpsink.py in its own process; stop() returns what it counted."""

    def __init__(self):
        self.port = free_port()
        self.report = Path(tempfile.mkstemp(suffix=".json")[1])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.smtpsink", str(self.port), str(self.report)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("The SMTP sink did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        counted = json.loads(self.report.read_text())
        self.report.unlink()
        return counted


def load_subscribers():
    """BENCH_SUBSCRIBERS confirmed subscribers, inserted once (bench-000001@example.org...)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO association_subscriber "
            "(email, name, language, status, key, created_at, confirmed_at, updated_at) "
            "SELECT 'bench-' || lpad(n::text, 6, '0') || '@example.org', 'Bench reader ' || n, "
            "'en', 'confirmed', gen_random_uuid(), now(), now(), now() "
            "FROM generate_series(1, %s) AS n ON CONFLICT (email) DO NOTHING",
            [SUBSCRIBERS],
        )
        cursor.execute("VACUUM ANALYZE association_subscriber")


def new_campaign():
    from association.models import Campaign

    Campaign.objects.filter(subject=SUBJECT).delete()  # and the deliveries of earlier runs
    return Campaign.objects.create(
        subject=SUBJECT,
        preheader="News, positions open for input and funding calls closing soon",
        intro=INTRO,
    )


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(child) for child in listing.read().split()]
    except OSError:
        return []


def proportional_mb(pid):
    """The process's share of memory (PSS): pages shared after fork count once across them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler(threading.Thread):
    """The worker's memory, the main process and its pool processes together, twice a second."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.peak_process_mb = pid, 0.0, 0.0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(0.5):
            sizes = [proportional_mb(pid) for pid in [self.pid, *children(self.pid)]]
            self.peak_mb = max(self.peak_mb, sum(sizes))
            self.peak_process_mb = max(self.peak_process_mb, *sizes)


def start_worker(sink_port):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "NEWSLETTER_RATE_PER_SECOND": str(RATE_LIMIT),
        "NEWSLETTER_DRAINS": str(WORKER_PROCESSES),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "association", "worker", "--pool", "prefork",
         "--concurrency", str(WORKER_PROCESSES), "--loglevel", "WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(children(worker.pid)) < WORKER_PROCESSES:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("The Celery worker did not start")
        time.sleep(0.2)
    return worker


def send_with_worker(campaign):
    """Start the campaign as the admin does and wait until the worker has finished it."""
    from django.db.models import Count

    from association.campaigns import campaign_start
    from association.models import Campaign

    sink = Sink()
    worker = start_worker(sink.port)
    sampler = MemorySampler(worker.pid)
    sampler.start()
    try:
        started = time.monotonic()
        recipients = campaign_start(campaign=campaign)
        filled = time.monotonic()
        deadline = started + 30 * 60
        while Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENDING:
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("The campaign did not finish: is the worker running?")
            time.sleep(0.5)
        finished = time.monotonic()
    finally:
        sampler.stopped.set()
        worker.terminate()
        worker.wait(timeout=60)
        counted = sink.stop()
    statuses = dict(campaign.deliveries.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "recipients": recipients,
        "statuses": statuses,
        "fill_seconds": round(filled - started, 2),
        "seconds": round(finished - started, 2),
        "messages_per_second": round(statuses.get("sent", 0) / (finished - started), 1),
        "worker_memory_mb": round(sampler.peak_mb, 1),
        "worker_largest_process_mb": round(sampler.peak_process_mb, 1),
        "received": counted["messages"],
        "duplicates": counted["duplicates"],
    }


def smtplib_limit(campaign):
    """The same rendered messages, sent by a plain smtplib loop over one connection."""
    from association.campaigns import CampaignMail

    campaign.refresh_from_db()  # the text rendered when sending started
    mail = CampaignMail(campaign)
    rows = campaign.deliveries.select_related("subscriber").order_by("id")[:LIMIT_DISTINCT]
    payloads = [
        (
            row.email,
            mail.message(row.pk, row.email, row.subscriber).message().as_bytes(linesep="\r\n"),
        )
        for row in rows
    ]
    runs = [send_over_one_connection(payloads) for _ in range(LIMIT_RUNS)]
    sent = len(payloads) * LIMIT_ROUNDS
    return {
        "messages": sent,
        "runs_messages_per_second": [round(sent / seconds, 1) for seconds in runs],
        # The best run: the limit is what the loop can reach, not what a busy moment allowed.
        "messages_per_second": round(sent / min(runs), 1),
        "message_bytes": round(sum(len(p) for _, p in payloads) / len(payloads)),
    }


def send_over_one_connection(payloads):
    sender = campaign_sender()
    sink = Sink()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            started = time.monotonic()
            for _ in range(LIMIT_ROUNDS):
                for email, payload in payloads:
                    smtp.sendmail(sender, [email], payload)
            seconds = time.monotonic() - started
    finally:
        counted = sink.stop()
    if counted["messages"] != len(payloads) * LIMIT_ROUNDS:
        raise SystemExit(f"The sink received {counted['messages']} messages, not all")
    return seconds


def campaign_sender():
    from email.utils import parseaddr

    from django.conf import settings

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def run():
    print(f"Newsletter: {SUBSCRIBERS} subscribers, one campaign, a worker with "
          f"{WORKER_PROCESSES} processes...", flush=True)  # fmt: skip
    load_subscribers()
    campaign = new_campaign()
    worker = send_with_worker(campaign)
    limit = smtplib_limit(campaign)
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "subscribers": SUBSCRIBERS,
        "worker_processes": WORKER_PROCESSES,
        "rate_limit_setting_per_second": RATE_LIMIT,
        "cpus": os.cpu_count(),
        "worker": worker,
        "smtplib_limit": limit,
        "ratio_to_limit": round(worker["messages_per_second"] / limit["messages_per_second"], 3),
        "targets": TARGETS,
    }
    data["met"] = {
        "messages_per_second": worker["messages_per_second"] >= TARGETS["messages_per_second"],
        "ratio_to_limit": data["ratio_to_limit"] >= TARGETS["ratio_to_limit"],
        "worker_memory_mb": worker["worker_memory_mb"] <= TARGETS["worker_memory_mb"],
        "duplicates": worker["duplicates"] == TARGETS["duplicates"],
        "all_sent": worker["statuses"].get("sent") == worker["recipients"] == worker["received"],
    }
    path = RESULTS / "newsletter.json"
    RESULTS.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(data, indent=2))
    print(f"Written to {path.relative_to(ROOT)}")

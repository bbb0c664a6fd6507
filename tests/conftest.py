"""Fixtures shared by the whole suite: real PostgreSQL and Redis (embedded when no URL is set, see
association/settings/test.py), a real Celery worker, a real SMTP server on loopback, and real
Chromium driven by Playwright with axe-core for accessibility."""

import email
import email.policy
import os
import socket
import threading
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller

# Playwright's sync API keeps an asyncio loop in the test thread; Django's ORM would otherwise
# refuse to run there. The loop never runs ORM code itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with no cached values or rate-limit counters of earlier tests."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


# --- Mail -------------------------------------------------------------------------------------


class SMTPSink:
    """An SMTP server on loopback that keeps what it receives."""

    def __init__(self):
        self.messages = []
        self.raw = []  # the bytes received, as they came
        self._received = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name for the hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._received:
            self.raw.append(envelope.original_content)
            self.messages.append(message)
            self._received.notify_all()
        return "250 Message accepted"

    def wait_for(self, count=1, timeout=15):
        """Wait until `count` messages have arrived (they come from the Celery worker)."""
        with self._received:
            arrived = self._received.wait_for(lambda: len(self.messages) >= count, timeout)
        assert arrived, f"expected {count} message(s), received {len(self.messages)}"
        return self.messages

    @staticmethod
    def text(message):
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp_sink(settings):
    sink = SMTPSink()
    with socket.socket() as probe:  # a free port (aiosmtpd needs a number, not 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield sink
    controller.stop()


# --- Celery -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _celery_worker_session():
    from celery.contrib.testing.worker import start_worker

    from association.celery import app

    # Tasks queued by an earlier, interrupted run must not reach this run's worker.
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield app


@pytest.fixture
def celery_worker(_celery_worker_session):
    """A real Celery worker consuming the real Redis broker, in a thread of the test process."""
    return _celery_worker_session


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM_PATH):
        pytest.exit(
            f"The browser tests need Chromium at {CHROMIUM_PATH}. Run `make test` (it installs "
            "Chromium with apt-get when it can), install it yourself or set CHROMIUM_PATH.",
            returncode=1,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # Playwright leaves an event loop marked as running in this thread, so Django hands out
        # new connection objects from here on; they need the data that serialized rollbacks
        # restore, which the originals were given when the test database was made.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()
    assert not csp_violations, f"the page broke its Content-Security-Policy: {csp_violations}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report

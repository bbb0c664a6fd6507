from association import devstack


def must_not_start():
    raise AssertionError("an embedded server was started although its URL is set")


def test_configured_servers_are_used_and_nothing_embedded_starts(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example.org/portal")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example.org:6379/0")
    monkeypatch.setattr(devstack, "_start_postgres", must_not_start)
    monkeypatch.setattr(devstack, "_start_redis", must_not_start)
    assert devstack.ensure_services() == []


def test_a_missing_url_starts_only_that_server(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example.org/portal")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(devstack, "_start_postgres", must_not_start)
    monkeypatch.setattr(devstack, "_start_redis", lambda: "unix:///tmp/redis.sock")
    assert devstack.ensure_services() == ["Redis"]
    assert devstack.os.environ["REDIS_URL"] == "unix:///tmp/redis.sock"


def test_celery_reads_a_unix_socket_url_in_its_own_spelling():
    from association.settings.base import celery_broker_url

    assert celery_broker_url("unix:///tmp/r.sock") == "redis+socket:///tmp/r.sock"
    assert celery_broker_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"

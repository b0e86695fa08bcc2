import socket
import time

import pytest

from tests.ports import unused_port


@pytest.mark.django_db
def test_healthz_is_200_when_database_cache_and_broker_are_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client, settings):
    down = f"redis://127.0.0.1:{unused_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": down,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = down
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "down",
        "broker": "down",
    }


@pytest.mark.django_db
def test_a_database_that_never_answers_fails_the_connection_within_its_timeout():
    """A server that accepts the connection and then says nothing (hung, or a black hole) must
    not hold a request: the connection gives up after DATABASE_CONNECT_TIMEOUT seconds."""
    from django.db import OperationalError, connection
    from django.db.backends.postgresql.base import DatabaseWrapper

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever answers
        port = silent.getsockname()[1]
        options = connection.settings_dict["OPTIONS"]
        assert options["connect_timeout"] == 5
        hung = DatabaseWrapper(
            {
                **connection.settings_dict,
                "PORT": str(port),
                "HOST": "127.0.0.1",
                "OPTIONS": {**options, "connect_timeout": 2},
            },
        )
        started = time.monotonic()
        with pytest.raises(OperationalError):
            hung.ensure_connection()
        waited = time.monotonic() - started

    assert waited < 10, f"waited {waited:.1f}s"

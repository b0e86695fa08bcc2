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

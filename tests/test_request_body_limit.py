"""A request body over REQUEST_BODY_MAX_BYTES is refused by its Content-Length before a byte of
it is read, whoever sends it and wherever; the photo form, the largest, still fits."""

import io

import pytest

from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

HUGE = 300 * 1024 * 1024


class CountingBody(io.BytesIO):
    """A request body that counts what the portal reads of it."""

    def __init__(self, content: bytes = b"x" * 1024) -> None:
        super().__init__(content)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def _post(client, path: str, length: int | str, **headers):
    body = CountingBody()
    response = client.generic(
        "POST",
        path,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": body},
        **headers,
    )
    return response, body


def test_the_default_limit_is_the_photo_limit_with_room_for_the_other_fields(settings):
    assert settings.REQUEST_BODY_MAX_BYTES == settings.OFFICER_PHOTO_MAX_BYTES + 2 * 1024 * 1024


def test_an_anonymous_300mb_upload_is_refused_unread(client):
    response, body = _post(client, "/alerts/", HUGE)

    assert response.status_code == 413
    page = response.content.decode()
    assert "Sorry, what you sent is too large" in page
    assert "What you sent is larger than 7MB. Nothing was saved." in page
    assert "a photo must be smaller than 5MB" in page
    assert body.bytes_read == 0


def test_an_officers_oversized_photo_form_is_refused_unread(client, officer_account):
    OfficerFactory(user=officer_account)
    client.force_login(officer_account)

    response, body = _post(client, "/staff/profile/", HUGE)

    assert response.status_code == 413
    assert "Sorry, what you sent is too large" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert body.bytes_read == 0


def test_the_limit_comes_from_the_setting(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024

    response, body = _post(client, "/alerts/", 1024 * 1024 + 1)

    assert response.status_code == 413
    assert "What you sent is larger than 1MB." in response.content.decode()
    assert body.bytes_read == 0


def test_an_api_request_over_the_limit_is_refused_in_json(client):
    response, body = _post(client, "/api/forces", HUGE)

    assert response.status_code == 413
    assert response.json() == {"error": "What you sent is larger than 7MB."}
    assert body.bytes_read == 0


def test_a_chunked_body_that_does_not_give_its_length_is_refused_unread(client):
    response, body = _post(client, "/alerts/", 0, HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code == 411
    assert "The request did not give its Content-Length." in response.content.decode()
    assert body.bytes_read == 0


def test_a_content_length_that_is_not_a_number_is_a_bad_request(client):
    response, body = _post(client, "/alerts/", "lots")

    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()
    assert body.bytes_read == 0


def test_a_body_within_the_limit_reaches_the_form(client):
    response = client.post("/alerts/", {"email": "not an email"})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()

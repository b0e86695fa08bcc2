"""Officer photos: only re-encoded JPEGs are ever stored; every bad upload gets a clear error."""

import datetime
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config.roles import Role
from officers import photos
from officers.photos import PhotoError, photo_process
from tests.factories import OfficerFactory
from tests.html import element, elements, links, value

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def own_officer(officer_account):
    return OfficerFactory(user=officer_account)


def image_bytes(fmt: str, size=(800, 600), mode="RGB", color=(200, 40, 40), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (30, 120, 200))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 55.0, 21.0)
    gps[3] = "W"
    gps[4] = (1.0, 28.0, 33.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def publish_photo(client, officer, content: bytes, name: str = "photo.jpg"):
    """Upload through the form, preview, publish; return the final response."""
    response = client.post("/staff/profile/", {"bio": "Hello", "photo": upload(content, name)})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    draft = value(page, "draft")
    return client.post(f"/staff/officers/{officer.pk}/edit/publish/", {"draft": draft})


def stored(officer) -> bytes:
    officer.refresh_from_db()
    with officer.photo.open("rb") as file:
        return file.read()


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "me.jpg"), ("PNG", "me.png"), ("WEBP", "me.webp")]
)
def test_accepted_format_is_stored_re_encoded_as_jpeg(
    client, officer_account, own_officer, media, fmt, name
):
    original = image_bytes(fmt, size=(1200, 900))
    client.force_login(officer_account)

    publish_photo(client, own_officer, original, name)

    content = stored(own_officer)
    assert content != original
    assert own_officer.photo.name.startswith("officers/photos/")
    assert own_officer.photo.name.endswith(".jpg")
    assert name.split(".")[0] not in own_officer.photo.name.rsplit("/", 1)[1]
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert image.size == (600, 450)


def test_gps_and_every_other_exif_field_are_removed(client, officer_account, own_officer):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_IFD)  # the test photo really carries a location
    client.force_login(officer_account)

    publish_photo(client, own_officer, original)

    content = stored(own_officer)
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Exif" not in content
    assert b"PhoneMaker" not in content


def test_exif_orientation_is_applied_before_it_is_dropped():
    image = Image.new("RGB", (400, 200), "white")
    exif = image.getexif()
    exif[ORIENTATION] = 6  # taken sideways: display rotated by 90 degrees
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)

    photo = photo_process(upload(out.getvalue()))

    assert (photo.width, photo.height) == (200, 400)


def test_small_photo_is_not_enlarged():
    photo = photo_process(upload(image_bytes("PNG", size=(300, 200)), "small.png"))

    assert (photo.width, photo.height) == (300, 200)


def test_transparent_png_is_flattened_onto_white():
    content = image_bytes("PNG", size=(50, 50), mode="RGBA", color=(0, 0, 0, 0))

    photo = photo_process(upload(content, "clear.png"))

    with Image.open(io.BytesIO(photo.content)) as image:
        assert image.mode == "RGB"
        assert min(image.getpixel((25, 25))) > 245


def test_replacing_a_photo_deletes_the_old_file(
    client, officer_account, own_officer, media, django_capture_on_commit_callbacks
):
    client.force_login(officer_account)
    with django_capture_on_commit_callbacks(execute=True):
        publish_photo(client, own_officer, image_bytes("PNG"), "first.png")
    own_officer.refresh_from_db()
    first = own_officer.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        publish_photo(client, own_officer, image_bytes("JPEG"), "second.jpg")

    own_officer.refresh_from_db()
    assert own_officer.photo.name != first
    assert not (media / first).exists()
    assert (media / own_officer.photo.name).exists()


def test_published_photo_leaves_no_pending_file(client, officer_account, own_officer, media):
    client.force_login(officer_account)

    publish_photo(client, own_officer, image_bytes("PNG"), "me.png")

    assert list((media / "officers" / "pending").iterdir()) == []


# --- Refusals -------------------------------------------------------------------------------


def refusal(client, content: bytes, name: str, content_type: str = "image/jpeg") -> str:
    response = client.post(
        "/staff/profile/", {"bio": "Kept", "photo": upload(content, name, content_type)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Kept" in page
    return page


def test_gif_is_refused(client, officer_account, own_officer, media):
    client.force_login(officer_account)

    page = refusal(client, image_bytes("GIF", mode="P", color=1), "me.gif", "image/gif")

    assert ("The photo must be a JPG, PNG or WebP", "#id_photo") in links(page)
    assert not (media / "officers").exists()


def test_text_file_named_jpg_is_refused(client, officer_account, own_officer):
    client.force_login(officer_account)

    page = refusal(client, b"This is not a picture at all.\n" * 20, "holiday.jpg")

    assert "The photo must be a JPG, PNG or WebP" in page


def test_file_over_5mb_is_refused_before_it_is_decoded(client, officer_account, own_officer):
    client.force_login(officer_account)
    content = b"\xff\xd8\xff\xe0" + b"\0" * (5 * 1024 * 1024)

    page = refusal(client, content, "huge.jpg")

    assert "The photo must be smaller than 5MB" in page


def test_size_limit_comes_from_the_setting(settings):
    settings.OFFICER_PHOTO_MAX_BYTES = 2 * 1024 * 1024

    with pytest.raises(PhotoError, match="The photo must be smaller than 2MB"):
        photo_process(upload(b"\0" * (2 * 1024 * 1024 + 1)))


def test_decompression_bomb_is_refused(client, officer_account, own_officer):
    """A PNG of a few kilobytes that declares 200 million pixels."""
    bomb = image_bytes("PNG", size=(20000, 10000), mode="1", color=0)
    assert len(bomb) < 100_000
    client.force_login(officer_account)

    page = refusal(client, bomb, "bomb.png")

    assert "The photo must be smaller than 25 megapixels" in page


def test_image_over_25_megapixels_is_refused_without_decoding():
    big = image_bytes("PNG", size=(6000, 4500), mode="1", color=0)  # 27 megapixels

    with pytest.raises(PhotoError, match="The photo must be smaller than 25 megapixels"):
        photo_process(upload(big, "big.png"))


def test_crafted_webp_of_a_few_kilobytes_is_refused(client, officer_account, own_officer, media):
    """36 megapixels of one colour: libwebp would hold the frame several times over."""
    crafted = image_bytes("WEBP", size=(6000, 6000), mode="RGBA", lossless=True)
    assert len(crafted) < 5_000
    client.force_login(officer_account)

    page = refusal(client, crafted, "crafted.webp", "image/webp")

    assert any(
        href == "#id_photo" and text.startswith("A WebP photo must be smaller than 6 megapixels")
        for text, href in links(page)
    )
    assert not (media / "officers").exists()


PEAK_MEMORY_SCRIPT = """
import io, sys
from django.conf import settings
settings.configure(OFFICER_PHOTO_MAX_BYTES=5 * 1024 * 1024, USE_I18N=False)
from PIL import Image
from officers.photos import PhotoError, photo_process
width, height, mode, fmt, progressive = sys.argv[1:]
colour = (10, 20, 30, 128)[: len(mode)] if mode not in ("1", "L", "P") else 0
out = io.BytesIO()
Image.new(mode, (int(width), int(height)), colour).save(
    out, format=fmt, lossless=True, progressive=progressive == "1", subsampling=0
)
content = out.getvalue()
del out

def peak_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) // 1024

with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # resets the peak resident size
start = peak_mb()
try:
    photo_process(io.BytesIO(content))
    outcome = "accepted"
except PhotoError as error:
    outcome = error.message
print(outcome, "|", peak_mb() - start)
"""


def peak_memory_mb(width, height, mode, fmt, progressive=False) -> tuple[str, int]:
    """Process one image in a fresh interpreter; its outcome and the peak memory it added."""
    arguments = [str(width), str(height), mode, fmt, "1" if progressive else "0"]
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY_SCRIPT, *arguments],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome, _, megabytes = result.stdout.strip().rpartition("|")
    return outcome.strip(), int(megabytes)


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("width", "height", "mode", "fmt", "progressive"),
    [
        (6000, 6000, "RGBA", "WEBP", False),  # the crafted file: refused
        (3000, 2000, "RGBA", "WEBP", False),  # the largest WebP accepted
        (6000, 4000, "RGBA", "PNG", False),
        (6000, 4000, "P", "PNG", False),
        (6000, 4000, "RGB", "JPEG", False),
        (4800, 3200, "RGB", "JPEG", True),  # progressive: every coefficient is kept
        (3600, 2400, "CMYK", "JPEG", True),
    ],
)
def test_no_photo_upload_needs_more_than_about_100mb(width, height, mode, fmt, progressive):
    outcome, megabytes = peak_memory_mb(width, height, mode, fmt, progressive)

    assert outcome in ("accepted", photos.TOO_MANY_WEBP_PIXELS)
    assert megabytes < 110, f"{fmt} {mode} {width}x{height}: {outcome}, {megabytes} MB"


def test_truncated_jpeg_cannot_be_read(client, officer_account, own_officer):
    client.force_login(officer_account)
    content = image_bytes("JPEG", size=(1000, 800))[:2000]

    page = refusal(client, content, "cut.jpg")

    assert "The photo could not be read" in page


def test_empty_file_cannot_be_read(client, officer_account, own_officer):
    client.force_login(officer_account)

    page = refusal(client, b"", "empty.jpg")

    assert "The photo could not be read" in page


# --- Between preview and publish ------------------------------------------------------------


def test_valid_photo_is_kept_when_another_field_has_an_error(client, officer_account, own_officer):
    client.force_login(officer_account)

    response = client.post(
        "/staff/profile/", {"phone": "12345", "photo": upload(image_bytes("PNG"), "me.png")}
    )

    page = response.content.decode()
    assert "Your new photo is ready" in page
    assert element(page, "input", name="photo_token", value=True)


def test_preview_shows_the_pending_photo_to_its_editor(client, officer_account, own_officer):
    client.force_login(officer_account)
    response = client.post("/staff/profile/", {"photo": upload(image_bytes("PNG"), "me.png")})
    page = client.get(response["Location"]).content.decode()
    [src] = [
        image.attrs["src"]
        for image in elements(page, "img")
        if image.attrs.get("alt", "").startswith("Photo of")
    ]

    image = client.get(src)

    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image.content[:3] == b"\xff\xd8\xff"
    assert own_officer.photo.name == ""


def test_pending_photo_is_refused_to_another_officer(client, make_account, officer_account):
    officer = OfficerFactory(user=officer_account)
    client.force_login(officer_account)
    response = client.post("/staff/profile/", {"photo": upload(image_bytes("PNG"), "me.png")})
    src = re.search(
        r'<img src="([^"]+)" alt="Photo of', client.get(response["Location"]).content.decode()
    ).group(1)
    other = make_account(Role.OFFICER)
    OfficerFactory(user=other)
    client.force_login(other)

    assert client.get(src).status_code == 403
    assert officer.photo.name == ""


def test_pending_token_is_refused_for_another_officer():
    photo = photo_process(upload(image_bytes("PNG"), "me.png"))
    token = photos.pending_photo_store(officer_id=1, photo=photo)

    with pytest.raises(PhotoError, match="expired"):
        photos.pending_photo_load(officer_id=2, token=token)


def test_tampered_pending_token_is_refused():
    photo = photo_process(upload(image_bytes("PNG"), "me.png"))
    token = photos.pending_photo_store(officer_id=1, photo=photo)

    with pytest.raises(PhotoError):
        photos.pending_photo_load(officer_id=1, token=token.replace("1-", "1-0", 1))


def test_pending_photo_expires_after_an_hour(client, officer_account, own_officer):
    client.force_login(officer_account)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)):
        response = client.post("/staff/profile/", {"photo": upload(image_bytes("PNG"), "me.png")})
        page = client.get(response["Location"]).content.decode()
    draft = value(page, "draft")

    with time_machine.travel(datetime.datetime(2025, 6, 1, 13, 1, tzinfo=datetime.UTC)):
        response = client.post(f"/staff/officers/{own_officer.pk}/edit/publish/", {"draft": draft})

    assert response.status_code == 200
    assert "Your new photo has expired. Choose it again" in response.content.decode()
    own_officer.refresh_from_db()
    assert own_officer.photo.name == ""


def test_old_pending_photos_are_cleared_when_a_new_one_is_stored(media):
    photo = photo_process(upload(image_bytes("PNG"), "me.png"))
    photos.pending_photo_store(officer_id=1, photo=photo)
    old = list((media / "officers" / "pending").iterdir())
    two_hours_ago = time.time() - 2 * 60 * 60
    os.utime(old[0], (two_hours_ago, two_hours_ago))

    photos.pending_photo_store(officer_id=1, photo=photo)

    remaining = list((media / "officers" / "pending").iterdir())
    assert len(remaining) == 1
    assert remaining != old

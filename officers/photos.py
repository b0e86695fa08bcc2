"""Officer photos: every upload is decoded and re-encoded here, never stored or served as sent.

An upload must be a JPEG, PNG or WebP by its content (Pillow decides, not the file name or the
browser's content type), no bigger than `OFFICER_PHOTO_MAX_BYTES`, and its declared size
must decode within `MAX_DECODE_BYTES` of memory, checked before a pixel is decoded (a file of
a few kilobytes can declare a vast image). It is shrunk a strip at a time, turned upright (EXIF
orientation), stripped of every piece of metadata (EXIF with GPS, ICC profiles, XMP, comments),
fitted into 600x600 and written as a new JPEG.

Between "Preview" and "Publish changes" the processed photo waits as a pending file, named by a
token signed with a TimestampSigner: the token is good for an hour and for one officer only.
"""

import datetime
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# The memory one upload may take to decode. Bytes per pixel at the decoding's peak, measured
# with Pillow 13 (tests/officers/test_photos.py measures them again): PNG holds at most 4;
# libwebp decodes through its animation decoder, holding the frame several times over; a
# progressive JPEG keeps every DCT coefficient, 2 bytes per component, however small the draft.
MAX_DECODE_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 25_000_000
WEBP_BYTES_PER_PIXEL = 16
# Converted a strip of about this many rows at a time: full-size copies are what use the memory.
STRIP_ROWS = 64
MAX_SIDE = 600
JPEG_QUALITY = 85
PENDING_FOLDER = "officers/pending"
PENDING_MAX_AGE = datetime.timedelta(hours=1)
PENDING_SALT = "officers.photos.pending"

NOT_AN_ACCEPTED_FORMAT = _("The photo must be a JPG, PNG or WebP")
UNREADABLE = _("The photo could not be read")
TOO_MANY_PIXELS = _("The photo must be smaller than 25 megapixels")
TOO_MANY_WEBP_PIXELS = _("A WebP photo must be smaller than 6 megapixels. Save it as a JPG instead")
PENDING_EXPIRED = _("Your new photo has expired. Choose it again")


class PhotoError(ValueError):
    """An upload that cannot become an officer photo; the message is shown to the officer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedPhoto:
    """A JPEG made by `photo_process`: the only bytes an Officer.photo is ever given."""

    content: bytes
    width: int
    height: int


def max_bytes() -> int:
    return getattr(settings, "OFFICER_PHOTO_MAX_BYTES", 5 * 1024 * 1024)


def max_size_label() -> str:
    return f"{max_bytes() / (1024 * 1024):g}MB"


def too_big_message() -> str:
    return gettext("The photo must be smaller than %(size)s") % {"size": max_size_label()}


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def _check_decode_cost(image: Image.Image) -> None:
    """Refuse, from the header alone, an image whose decoding would need too much memory."""
    width, height = image.size
    if image.format == "WEBP":
        per_pixel = WEBP_BYTES_PER_PIXEL
    elif image.format == "JPEG" and image.info.get("progressive"):
        per_pixel = 2 * len(image.getbands())
    else:
        per_pixel = 4
    if width * height * per_pixel > MAX_DECODE_BYTES:
        raise PhotoError(TOO_MANY_WEBP_PIXELS if image.format == "WEBP" else TOO_MANY_PIXELS)
    if width * height > MAX_PIXELS:
        raise PhotoError(TOO_MANY_PIXELS)


def _shrunk(image: Image.Image) -> Image.Image:
    """The decoded image as RGB, about twice the final size at most, made a strip at a time so
    no full-size copy (converted, flattened, premultiplied) is ever held beside the original."""
    width, height = image.size
    factor = max(1, max(width, height) // (MAX_SIDE * 2))
    rows = max(factor, STRIP_ROWS // factor * factor)  # whole blocks of `factor` rows
    out = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        strip = _flatten(image.crop((0, top, width, min(top + rows, height))))
        out.paste(strip.reduce(factor) if factor > 1 else strip, (0, top // factor))
    return out


# Pillow's own table (ImageOps.exif_transpose), applied to the shrunk copy.
_ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB image: transparency goes onto white, every other mode is converted."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: scale to 8 bits before Pillow converts it.
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def photo_process(upload) -> ProcessedPhoto:
    """Decode an uploaded file and return it re-encoded; raise PhotoError if it cannot be."""
    if _size_of(upload) > max_bytes():
        raise PhotoError(too_big_message())
    upload.seek(0)
    try:
        image = Image.open(upload, formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError as exc:
        raise PhotoError(NOT_AN_ACCEPTED_FORMAT) from exc
    except Image.DecompressionBombError as exc:
        raise PhotoError(TOO_MANY_PIXELS) from exc
    except Exception as exc:  # Pillow raises many types on a malformed header.
        raise PhotoError(UNREADABLE) from exc
    with image:
        # Checked before a single pixel is decoded: a small file can declare a vast image.
        _check_decode_cost(image)
        try:
            orientation = image.getexif().get(ExifTags.Base.Orientation)
            # JPEGs can decode straight at a reduced scale, which is much cheaper.
            image.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            image.load()
            rgb = _shrunk(image)
        except Exception as exc:  # Truncated or corrupt image data, of any kind.
            raise PhotoError(UNREADABLE) from exc
    if orientation in _ORIENTATIONS:
        rgb = rgb.transpose(_ORIENTATIONS[orientation])
    rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image holds pixels only: no EXIF, ICC profile, XMP or comment can come along.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ProcessedPhoto(content=out.getvalue(), width=clean.width, height=clean.height)


def new_photo_file(photo: ProcessedPhoto) -> ContentFile:
    """The processed photo as a file with a new random name, for Officer.photo.save()."""
    return ContentFile(photo.content, name=f"{secrets.token_hex(16)}.jpg")


# --- Pending photos, between preview and publish ----------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=PENDING_SALT)


def _pending_name(key: str) -> str:
    return f"{PENDING_FOLDER}/{key}.jpg"


def _pending_key(*, officer_id: int, token: str) -> str:
    """The file key a token names, if the token is genuine, fresh and for this officer."""
    try:
        value = _signer().unsign(token, max_age=PENDING_MAX_AGE)
    except signing.BadSignature as exc:  # Also SignatureExpired.
        raise PhotoError(PENDING_EXPIRED) from exc
    owner, _, key = value.partition("-")
    if owner != str(officer_id) or not key.isalnum():
        raise PhotoError(PENDING_EXPIRED)
    return f"{owner}-{key}"


def pending_photo_store(*, officer_id: int, photo: ProcessedPhoto) -> str:
    """Keep a processed photo until it is published; return the token that names it."""
    pending_photos_clear_expired()
    key = f"{officer_id}-{secrets.token_hex(16)}"
    default_storage.save(_pending_name(key), ContentFile(photo.content))
    return _signer().sign(key)


def pending_photo_load(*, officer_id: int, token: str) -> ProcessedPhoto:
    """The pending photo a token names; PhotoError when the token is bad, old or its file gone."""
    name = _pending_name(_pending_key(officer_id=officer_id, token=token))
    try:
        with default_storage.open(name, "rb") as file:
            content = file.read()
    except FileNotFoundError as exc:
        raise PhotoError(PENDING_EXPIRED) from exc
    with Image.open(io.BytesIO(content), formats=["JPEG"]) as image:
        width, height = image.size
    return ProcessedPhoto(content=content, width=width, height=height)


def pending_photo_discard(*, officer_id: int, token: str) -> None:
    try:
        name = _pending_name(_pending_key(officer_id=officer_id, token=token))
    except PhotoError:
        return
    default_storage.delete(name)


def pending_photos_clear_expired() -> int:
    """Delete pending photos older than their tokens; return how many went."""
    try:
        _, files = default_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - PENDING_MAX_AGE
    removed = 0
    for filename in files:
        name = f"{PENDING_FOLDER}/{filename}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed += 1
        except FileNotFoundError:
            continue  # Deleted meanwhile by another request.
    return removed

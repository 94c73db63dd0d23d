"""Uploaded people photos and organization logos: checked, cleaned and resized once.

Editors upload images through forms and the admin, so every upload is untrusted input.
``process_image_upload`` turns it into a ``ProcessedImage`` or refuses it with a
``ValidationError`` that names the file, says what is wrong and what to do. Decisions:

* The format is what Pillow detects from the bytes; the file name and the browser's
  content type are ignored. A PNG named ``photo.jpg`` is accepted as a PNG and stored
  as ``.png``: the editor's intent (upload this picture) is clear and nothing is lost.
* Only JPEG, PNG and WebP are opened at all. Pillow is told to try only those three
  decoders, so GIF, BMP, TIFF, SVG, HEIC... never reach a parser; they are named for
  the error message from their first bytes. JPEGs with extra pictures inside (MPO,
  written by many phones and cameras) are accepted as JPEG, keeping the main picture.
* Animated PNG/WebP are refused rather than flattened: the first frame of an
  animation is often blank or unrepresentative, and a still is what pages show.
* The size in bytes is checked before reading and while reading; the size in pixels
  is checked from the header before any pixel is decoded (Pillow's own
  decompression-bomb limit is the ceiling). The whole image is then decoded, so a
  truncated or corrupt file is refused now rather than breaking a page later.
* All metadata goes: EXIF (GPS, camera serials, dates), XMP, comments and text
  chunks. The EXIF orientation is applied first so the picture stays upright. An
  embedded ICC profile is used to convert the pixels to sRGB (what browsers assume
  for untagged images) and is then dropped too, so the output carries pixels only.
* The stored original is at most ``MAX_DIMENSION`` pixels on its long side: enough
  for any page, and much smaller than a camera original.
* Renditions are made once here, not on every page view, in the original's format.
  Only the ones pages use are made: the ``THUMBNAIL_SIZE`` avatar beside the name (the
  original serves the share preview).
* Files are stored before the row that names them is saved (the storage settles the
  names); inside ``files_removed_unless_saved`` (the admin's forms) a save that fails
  takes the files it stored with it, so MEDIA_ROOT keeps no orphan.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps

EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
ACCEPT = "image/jpeg,image/png,image/webp"
MAX_DIMENSION = 2000
# The avatar of profiles and organization pages (shown 96 pixels wide).
THUMBNAIL_SIZE = 96
SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {},
    "WEBP": {"quality": 85},
}

# First bytes of formats we refuse, so the message can say what the file is.
_OTHER_SIGNATURES = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"8BPS", "Photoshop (PSD)"),
    (b"\x00\x00\x01\x00", "icon (ICO)"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class ProcessedImage:
    """A cleaned upload: re-encoded pixels only, under generated names, ready to store."""

    original: ContentFile
    renditions: dict[int, ContentFile]
    format: str  # "JPEG", "PNG" or "WEBP"
    extension: str  # ".jpg", ".png" or ".webp"
    width: int
    height: int


def process_image_upload(
    upload: File,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    rendition_sizes: Iterable[int] = (THUMBNAIL_SIZE,),
) -> ProcessedImage:
    """Check an uploaded image, strip its metadata and make its renditions.

    Limits default to ``settings.IMAGE_UPLOAD_MAX_BYTES`` and
    ``settings.IMAGE_UPLOAD_MAX_PIXELS``. Nothing is written to storage: the caller
    saves the result (see ``save_processed_image``), so a refusal leaves no files.
    Each rendition fits in ``size`` x ``size`` pixels, keeps the aspect ratio and is
    never enlarged.
    """
    if max_bytes is None:
        max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if max_pixels is None:
        max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    name = os.path.basename(upload.name or "")[:100] or "unnamed file"

    data = _read_limited(upload, max_bytes, name)
    image = _open_and_decode(data, max_pixels, name)
    image_format = "JPEG" if image.format == "MPO" else str(image.format)
    # A picture whose orientation tag is unreadable is still a picture: keep it as stored.
    with contextlib.suppress(Exception):
        image = ImageOps.exif_transpose(image)
    image = _normalise_mode(_to_srgb(image), image_format)
    image.thumbnail((MAX_DIMENSION, MAX_DIMENSION))
    image = _pixels_only(image)

    token = secrets.token_hex(8)
    extension = EXTENSIONS[image_format]
    renditions: dict[int, ContentFile] = {}
    for size in rendition_sizes:
        rendition = image.copy()
        rendition.thumbnail((size, size))
        renditions[size] = _encode(rendition, image_format, f"{token}-{size}{extension}")
    return ProcessedImage(
        original=_encode(image, image_format, f"{token}{extension}"),
        renditions=renditions,
        format=image_format,
        extension=extension,
        width=image.width,
        height=image.height,
    )


def _read_limited(upload: File, max_bytes: int, name: str) -> bytes:
    """The upload's bytes, refusing it as soon as it is known to exceed ``max_bytes``.

    ``upload.size`` comes from the request and is checked first; the count while
    reading guards against a size that is missing or wrong.
    """
    too_big = ValidationError(
        "“%(name)s” is larger than %(limit)s. Export a smaller version (for example "
        "%(dimension)s pixels on its long side) and upload that.",
        code="too_large",
        params={"name": name, "limit": filesizeformat(max_bytes), "dimension": MAX_DIMENSION},
    )
    declared = getattr(upload, "size", None)  # None when the size cannot be determined
    if declared is not None and declared > max_bytes:
        raise too_big
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > max_bytes:
            raise too_big
        chunks.append(chunk)
    if total == 0:
        raise ValidationError(
            "“%(name)s” is empty (0 bytes). Choose the image again; if it still fails, "
            "open it on your computer to check it is intact.",
            code="empty",
            params={"name": name},
        )
    return b"".join(chunks)


def _open_and_decode(data: bytes, max_pixels: int, name: str) -> Image.Image:
    """Open ``data`` as JPEG, PNG or WebP, check its header, then decode every pixel."""
    # Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; cap our limit at
    # its warning level so both outcomes are refusals whatever the warning filters say.
    if Image.MAX_IMAGE_PIXELS:
        max_pixels = min(max_pixels, Image.MAX_IMAGE_PIXELS)

    def too_many_pixels(dimensions: str) -> ValidationError:
        return ValidationError(
            "“%(name)s” is %(dimensions)s; at most %(limit)s megapixels are accepted. "
            "Resize it to about %(long_side)s pixels on its long side and upload it again.",
            code="too_many_pixels",
            params={
                "name": name,
                "dimensions": dimensions,
                "limit": f"{max_pixels / 1_000_000:g}",
                "long_side": MAX_DIMENSION,
            },
        )

    try:
        image = Image.open(io.BytesIO(data), formats=list(EXTENSIONS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels("far too large in pixels to open safely") from exc
    except Exception as exc:  # any parser failure means "not an image we can read"
        kind = _other_format(data)
        if kind:
            raise ValidationError(
                "“%(name)s” is a %(kind)s file, which is not accepted. Upload a JPEG, PNG "
                "or WebP image instead (export or “Save as” one of those formats).",
                code="unsupported_format",
                params={"name": name, "kind": kind},
            ) from exc
        raise ValidationError(
            "“%(name)s” is not an image that can be read. Upload a JPEG, PNG or WebP "
            "image instead.",
            code="not_an_image",
            params={"name": name},
        ) from exc

    width, height = image.size
    if width * height > max_pixels:
        raise too_many_pixels(f"{width} x {height} pixels")
    if image.format != "MPO" and getattr(image, "is_animated", False):
        raise ValidationError(
            "“%(name)s” is animated. Photos and logos must be still images: save a single "
            "frame as JPEG, PNG or WebP and upload that.",
            code="animated",
            params={"name": name},
        )
    try:
        # JPEG can decode at 1/2, 1/4 or 1/8 scale: still every byte, far less memory.
        image.draft(None, (MAX_DIMENSION, MAX_DIMENSION))
        image.load()
    except Exception as exc:  # truncated data, bad checksums, broken compressed streams...
        raise ValidationError(
            "“%(name)s” is damaged or incomplete and cannot be opened. Open it in an image "
            "editor, save it again as JPEG, PNG or WebP, and upload the new file.",
            code="corrupt",
            params={"name": name},
        ) from exc
    return image


def _other_format(data: bytes) -> str | None:
    """Name a refused format from its first bytes, for the error message only."""
    for signature, kind in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIC/AVIF"
    if b"<svg" in data[:4096].lower():
        return "SVG"
    return None


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colour-managed pixels to sRGB, so the ICC profile can be dropped.

    Without this, wide-gamut phone photos (Display P3) and print CMYK files would
    change colour once their profile is removed. An unusable profile is ignored.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _normalise_mode(image: Image.Image, image_format: str) -> Image.Image:
    """Pixels in a mode the output format stores: transparency kept where it can be.

    JPEG has no alpha and WebP no greyscale; palettes, CMYK and 16-bit greyscale
    become plain RGB(A) or 8-bit L.
    """
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):  # 16-bit greyscale: scale, not clip
        image = image.point(lambda value: value / 256, "L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if has_alpha and image_format != "JPEG":
        return image.convert("RGBA")
    if image.mode in ("1", "L") and image_format != "WEBP":
        return image.convert("L")
    return image.convert("RGB")


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no EXIF, XMP, comments, text or profile.

    Pillow's encoders fall back to ``image.info`` for some metadata (JPEG comments,
    PNG ICC profiles), so building from raw pixels is the sure way to drop it all.
    """
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode(image: Image.Image, image_format: str, name: str) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **SAVE_OPTIONS[image_format])
    return ContentFile(buffer.getvalue(), name=name)


class ImageUploadField(forms.FileField):
    """A form field whose cleaned value is a ``ProcessedImage`` for a new upload.

    Without a new upload it cleans like ``FileField``: ``None``, ``False`` (the
    "clear" box) or the initial file. In a ``ModelForm`` leave the model's image field
    out of ``Meta.fields`` and store the result with ``save_processed_image``.
    """

    def __init__(
        self,
        *,
        max_bytes: int | None = None,
        max_pixels: int | None = None,
        rendition_sizes: Iterable[int] = (THUMBNAIL_SIZE,),
        **kwargs,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.rendition_sizes = tuple(rendition_sizes)
        # Empty files reach process_image_upload, whose message names the file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, object]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT  # the browser's file picker offers these types first
        return attrs

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return process_image_upload(
                value,
                max_bytes=self.max_bytes,
                max_pixels=self.max_pixels,
                rendition_sizes=self.rendition_sizes,
            )
        return value


# The files save_processed_image stored inside files_removed_unless_saved (None outside).
_stored_in_block: ContextVar[list[tuple[object, str]] | None] = ContextVar(
    "newsroom_images_stored_in_block", default=None
)


@contextlib.contextmanager
def files_removed_unless_saved() -> Iterator[None]:
    """Delete the files ``save_processed_image`` stores in the block if the block fails.

    Put it around the whole transaction that saves the rows (as the admin's changeform
    view does): when the save, or anything after it in that transaction, raises, the rows
    are rolled back and the new files would otherwise stay in MEDIA_ROOT with nothing
    pointing at them. The files they replaced are untouched (deleted on commit only).
    """
    stored: list[tuple[object, str]] = []
    token = _stored_in_block.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            with contextlib.suppress(Exception):  # keep the original error
                storage.delete(name)
        raise
    finally:
        _stored_in_block.reset(token)


def save_processed_image(
    instance: models.Model,
    processed: ProcessedImage,
    *,
    field: str,
    rendition_field: str,
    rendition_size: int = THUMBNAIL_SIZE,
) -> None:
    """Store ``processed`` in two image fields of ``instance`` without saving the row.

    E.g. ``save_processed_image(person, processed, field="photo",
    rendition_field="photo_thumbnail")`` then ``person.save()``. The files the fields
    held before are deleted once the current transaction commits (at once outside a
    transaction), so a rolled-back save does not leave the row pointing at nothing; the
    new files are deleted again if ``files_removed_unless_saved`` sees the save fail.
    """
    if rendition_size not in processed.renditions:
        raise ValueError(f"No {rendition_size}px rendition; made: {sorted(processed.renditions)}.")
    main, thumbnail = getattr(instance, field), getattr(instance, rendition_field)
    previous = [(stored.storage, stored.name) for stored in (main, thumbnail) if stored]
    stored_in_block = _stored_in_block.get()
    rendition = processed.renditions[rendition_size]
    for target, content in ((main, processed.original), (thumbnail, rendition)):
        target.save(content.name, content, save=False)
        if stored_in_block is not None:
            stored_in_block.append((target.storage, target.name))

    def delete_previous() -> None:
        for storage, name in previous:
            storage.delete(name)

    transaction.on_commit(delete_previous)

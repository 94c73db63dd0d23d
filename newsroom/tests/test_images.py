"""Uploaded images: accepted formats, refusals, metadata stripping, renditions, storage."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from newsroom.images import (
    ImageUploadField,
    ProcessedImage,
    files_removed_unless_saved,
    process_image_upload,
    save_processed_image,
)
from people.models import Person

RED, BLUE = (255, 0, 0), (0, 0, 255)


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def two_halves(size: tuple[int, int] = (60, 30)) -> Image.Image:
    """Red left half, blue right half: shows which way a picture was turned."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def reopen(file: ContentFile) -> Image.Image:
    file.seek(0)
    image = Image.open(io.BytesIO(file.read()))
    image.load()
    return image


def close_to(pixel, colour, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height``: a cheap decompression bomb."""
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    # Signature (8 bytes), IHDR length (4), b"IHDR" (4), then width and height.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def media_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def refusal(settings, data: bytes, name: str, **limits) -> ValidationError:
    """Process an upload that must be refused, and check nothing was stored."""
    with pytest.raises(ValidationError) as caught:
        process_image_upload(upload(data, name), **limits)
    assert media_files(settings) == []
    assert name in caught.value.messages[0]
    return caught.value


# Accepted images


def test_jpeg_comes_back_upright_without_any_metadata():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90° clockwise
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = encode(two_halves(), "JPEG", exif=exif, xmp=xmp, comment=b"secret note")
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    processed = process_image_upload(upload(data))

    assert (processed.format, processed.extension) == ("JPEG", ".jpg")
    assert (processed.width, processed.height) == (30, 60)
    result = reopen(processed.original)
    assert result.format == "JPEG"
    assert result.mode == "RGB"
    assert result.size == (30, 60)
    assert close_to(result.getpixel((15, 5)), RED)  # the left half is now on top
    assert close_to(result.getpixel((15, 55)), BLUE)
    assert not result.getexif()
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(result.info)
    processed.original.seek(0)
    raw = processed.original.read()
    for marker in (b"Exif", b"PhoneMaker", b"xmpmeta", b"secret note"):
        assert marker not in raw


def test_png_keeps_its_format_and_transparency_but_loses_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at home")
    image = Image.new("RGBA", (40, 20), (0, 128, 0, 128))
    processed = process_image_upload(upload(encode(image, "PNG", pnginfo=info), "logo.png"))

    assert (processed.format, processed.extension) == ("PNG", ".png")
    result = reopen(processed.original)
    assert result.format == "PNG"
    assert result.mode == "RGBA"
    assert result.getpixel((0, 0)) == (0, 128, 0, 128)
    assert "Comment" not in result.info


def test_webp_keeps_its_format():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    data = encode(two_halves(), "WEBP", exif=exif)
    processed = process_image_upload(upload(data, "photo.webp"))

    assert (processed.format, processed.extension) == ("WEBP", ".webp")
    result = reopen(processed.original)
    assert result.format == "WEBP"
    assert "exif" not in result.info
    assert all(file.name.endswith(".webp") for file in processed.renditions.values())


def test_format_comes_from_the_bytes_not_the_name():
    processed = process_image_upload(upload(encode(two_halves(), "PNG"), "photo.jpg"))

    assert processed.format == "PNG"
    assert processed.original.name.endswith(".png")
    assert reopen(processed.original).format == "PNG"


def test_stored_names_are_generated_never_the_uploaded_name():
    processed = process_image_upload(upload(encode(two_halves(), "JPEG"), "../../etc/ID card.jpg"))

    names = [processed.original.name, *(file.name for file in processed.renditions.values())]
    assert all(name.endswith(".jpg") and "ID" not in name and "/" not in name for name in names)
    assert processed.original.name.removesuffix(".jpg").isalnum()


def test_only_the_rendition_pages_show_is_made():
    """Pages show the 96px avatar (and the original for share previews): no other size is
    computed only to be thrown away."""
    processed = process_image_upload(upload(encode(two_halves((800, 400)), "JPEG")))
    assert set(processed.renditions) == {96}


def test_renditions_fit_their_box_and_keep_the_aspect_ratio():
    processed = process_image_upload(
        upload(encode(two_halves((800, 400)), "JPEG")), rendition_sizes=(400, 96)
    )

    assert set(processed.renditions) == {400, 96}
    assert reopen(processed.renditions[400]).size == (400, 200)
    assert reopen(processed.renditions[96]).size == (96, 48)
    assert reopen(processed.renditions[96]).format == "JPEG"


def test_small_images_are_never_enlarged_and_large_ones_are_capped():
    small = process_image_upload(
        upload(encode(two_halves((50, 30)), "PNG")), rendition_sizes=(400, 96)
    )
    assert reopen(small.renditions[400]).size == (50, 30)
    assert reopen(small.renditions[96]).size == (50, 30)

    large = process_image_upload(
        upload(encode(two_halves((3000, 1500)), "PNG")), rendition_sizes=(200,)
    )
    assert (large.width, large.height) == (2000, 1000)
    assert reopen(large.original).size == (2000, 1000)
    assert reopen(large.renditions[200]).size == (200, 100)


def test_cmyk_jpeg_becomes_rgb():
    data = encode(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG")
    result = reopen(process_image_upload(upload(data)).original)

    assert result.mode == "RGB"
    assert close_to(result.getpixel((5, 5)), RED, tolerance=60)


def test_icc_profile_is_applied_then_dropped():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(two_halves(), "JPEG", icc_profile=profile)
    result = reopen(process_image_upload(upload(data)).original)

    assert "icc_profile" not in result.info
    assert close_to(result.getpixel((5, 5)), RED)


def test_palette_png_with_transparency_becomes_rgba():
    image = Image.new("P", (10, 10), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    data = encode(image, "PNG", transparency=0)
    result = reopen(process_image_upload(upload(data, "logo.png")).original)

    assert result.mode == "RGBA"
    assert result.getpixel((0, 0))[3] == 0


def test_multi_picture_jpeg_from_a_camera_is_accepted_as_jpeg():
    data = encode(
        Image.new("RGB", (20, 20), RED), "MPO", save_all=True, append_images=[two_halves()]
    )
    processed = process_image_upload(upload(data))

    assert processed.format == "JPEG"
    assert reopen(processed.original).size == (20, 20)


# Refused uploads: each names the file, says what is wrong, and stores nothing


def test_empty_file_is_refused(settings):
    error = refusal(settings, b"", "photo.jpg")
    assert error.code == "empty"
    assert "empty" in error.messages[0]


def test_file_over_max_bytes_is_refused_before_reading(settings):
    error = refusal(settings, encode(two_halves(), "JPEG"), "big.jpg", max_bytes=100)
    assert error.code == "too_large"
    assert "larger than 100" in error.messages[0]
    assert "smaller version" in error.messages[0]


def test_file_over_max_bytes_is_refused_while_reading_when_its_size_lies(settings):
    file = ContentFile(encode(two_halves(), "JPEG"), name="big.jpg")
    file.size = 10
    with pytest.raises(ValidationError) as caught:
        process_image_upload(file, max_bytes=100)
    assert caught.value.code == "too_large"


def test_max_bytes_defaults_to_the_setting(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 100
    assert refusal(settings, encode(two_halves(), "JPEG"), "big.jpg").code == "too_large"


def test_text_file_named_like_a_jpeg_is_refused(settings):
    error = refusal(settings, b"Dear editor, please find attached\n", "photo.jpg")
    assert error.code == "not_an_image"
    assert "not an image" in error.messages[0]
    assert "JPEG, PNG or WebP" in error.messages[0]


def test_svg_is_refused(settings):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    error = refusal(settings, svg, "logo.svg")
    assert error.code == "unsupported_format"
    assert "SVG" in error.messages[0]
    assert "JPEG, PNG or WebP" in error.messages[0]


@pytest.mark.parametrize(
    ("image_format", "kind"), [("GIF", "GIF"), ("BMP", "BMP"), ("TIFF", "TIFF")]
)
def test_other_image_formats_are_refused(settings, image_format, kind):
    error = refusal(settings, encode(two_halves(), image_format), "photo.gif")
    assert error.code == "unsupported_format"
    assert f"is a {kind} file" in error.messages[0]


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_animated_images_are_refused(settings, image_format):
    frames = [Image.new("RGB", (20, 20), RED), Image.new("RGB", (20, 20), BLUE)]
    data = encode(frames[0], image_format, save_all=True, append_images=frames[1:])
    error = refusal(settings, data, "banner.png")
    assert error.code == "animated"
    assert "still image" in error.messages[0]


def test_truncated_jpeg_is_refused(settings):
    noise = Image.effect_noise((200, 200), 64).convert("RGB")
    data = encode(noise, "JPEG")
    error = refusal(settings, data[: len(data) // 2], "photo.jpg")
    assert error.code == "corrupt"
    assert "damaged or incomplete" in error.messages[0]


def test_corrupt_png_is_refused(settings):
    data = bytearray(encode(Image.effect_noise((100, 100), 64), "PNG"))
    data[60:80] = b"\x00" * 20  # inside the compressed pixels: a bad checksum
    assert refusal(settings, bytes(data), "logo.png").code == "corrupt"


def test_too_many_pixels_is_refused_from_the_header_before_decoding(settings):
    # 10000 x 5000 is over the 40-megapixel setting but under Pillow's own limit;
    # decoding would fail ("corrupt"), so "too_many_pixels" shows the header check ran first.
    error = refusal(settings, png_claiming(10_000, 5_000), "huge.png")
    assert error.code == "too_many_pixels"
    assert "10000 x 5000 pixels" in error.messages[0]
    assert "at most 40 megapixels" in error.messages[0]
    assert "Resize it" in error.messages[0]


def test_max_pixels_can_be_lowered(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 1_000
    assert refusal(settings, encode(two_halves(), "PNG"), "a.png").code == "too_many_pixels"
    error = refusal(settings, encode(two_halves(), "PNG"), "a.png", max_pixels=100)
    assert "60 x 30 pixels" in error.messages[0]


def test_pillow_decompression_bomb_error_is_a_refusal(settings):
    error = refusal(settings, png_claiming(20_000, 20_000), "bomb.png", max_pixels=10**9)
    assert error.code == "too_many_pixels"
    assert "too large in pixels to open safely" in error.messages[0]


def test_pillow_decompression_bomb_warning_is_a_refusal(settings):
    # The test settings turn RuntimeWarnings into errors: Pillow's warning is raised.
    error = refusal(settings, png_claiming(10_000, 10_000), "bomb.png", max_pixels=10**9)
    assert error.code == "too_many_pixels"


def test_pillow_decompression_bomb_warning_is_a_refusal_when_only_warned(settings):
    with pytest.warns(Image.DecompressionBombWarning):
        error = refusal(settings, png_claiming(10_000, 10_000), "bomb.png", max_pixels=10**9)
    assert error.code == "too_many_pixels"
    assert "10000 x 10000 pixels" in error.messages[0]


# The form field


class PhotoForm(forms.Form):
    photo = ImageUploadField(required=False)


def test_form_field_returns_a_processed_image():
    form = PhotoForm(files={"photo": upload(encode(two_halves(), "JPEG"))})

    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["photo"], ProcessedImage)
    assert form.cleaned_data["photo"].format == "JPEG"


def test_form_field_reports_a_bad_file_as_a_form_error(settings):
    form = PhotoForm(files={"photo": upload(b"not a picture", "photo.jpg")})

    assert not form.is_valid()
    assert "photo.jpg" in form.errors["photo"][0]
    assert "not an image" in form.errors["photo"][0]
    assert media_files(settings) == []


def test_form_field_names_an_empty_file():
    form = PhotoForm(files={"photo": upload(b"", "photo.jpg")})

    assert not form.is_valid()
    assert "“photo.jpg” is empty" in form.errors["photo"][0]


def test_form_field_without_an_upload_cleans_to_none():
    form = PhotoForm(data={}, files={})

    assert form.is_valid()
    assert form.cleaned_data["photo"] is None


def test_form_field_tells_the_browser_which_types_to_offer():
    assert 'accept="image/jpeg,image/png,image/webp"' in str(PhotoForm()["photo"])


# Storing on a model


def test_save_processed_image_stores_both_files_on_a_person(db, settings):
    person = Person.objects.create(name="Mira Murati")
    processed = process_image_upload(upload(encode(two_halves((800, 400)), "JPEG")))

    save_processed_image(person, processed, field="photo", rendition_field="photo_thumbnail")
    person.save()

    person.refresh_from_db()
    assert person.photo.name.startswith("people/photos/")
    assert person.photo.name.endswith(".jpg")
    with person.photo.open("rb") as stored:
        assert Image.open(stored).size == (800, 400)
    with person.photo_thumbnail.open("rb") as stored:
        assert Image.open(stored).size == (96, 48)
    assert len(media_files(settings)) == 2


def test_save_processed_image_deletes_the_previous_files(
    db, settings, django_capture_on_commit_callbacks
):
    person = Person.objects.create(name="Mira Murati")
    first = process_image_upload(upload(encode(two_halves(), "JPEG")))
    save_processed_image(person, first, field="photo", rendition_field="photo_thumbnail")
    person.save()
    old_paths = [Path(person.photo.path), Path(person.photo_thumbnail.path)]

    second = process_image_upload(upload(encode(two_halves(), "PNG"), "new.png"))
    with django_capture_on_commit_callbacks(execute=True):
        save_processed_image(person, second, field="photo", rendition_field="photo_thumbnail")
        person.save()

    assert not any(path.exists() for path in old_paths)
    assert sorted(media_files(settings)) == sorted(
        [Path(person.photo.path), Path(person.photo_thumbnail.path)]
    )
    assert person.photo.name.endswith(".png")


def test_save_processed_image_wants_an_existing_rendition(db, settings):
    person = Person.objects.create(name="Mira Murati")
    processed = process_image_upload(upload(encode(two_halves(), "JPEG")), rendition_sizes=(400,))

    with pytest.raises(ValueError, match="No 96px rendition"):
        save_processed_image(person, processed, field="photo", rendition_field="photo_thumbnail")
    assert media_files(settings) == []


def test_a_failed_save_takes_the_new_files_with_it(db, settings):
    person = Person.objects.create(name="Mira Murati")
    processed = process_image_upload(upload(encode(two_halves(), "JPEG")))

    with pytest.raises(RuntimeError), files_removed_unless_saved():
        save_processed_image(person, processed, field="photo", rendition_field="photo_thumbnail")
        assert len(media_files(settings)) == 2  # stored before the row is saved
        raise RuntimeError("the row could not be saved")

    assert media_files(settings) == []


def test_a_failed_replacement_keeps_the_previous_files(
    db, settings, django_capture_on_commit_callbacks
):
    person = Person.objects.create(name="Mira Murati")
    first = process_image_upload(upload(encode(two_halves(), "JPEG")))
    save_processed_image(person, first, field="photo", rendition_field="photo_thumbnail")
    person.save()
    kept = sorted(media_files(settings))

    second = process_image_upload(upload(encode(two_halves(), "PNG"), "new.png"))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        files_removed_unless_saved(),
        transaction.atomic(),
    ):
        save_processed_image(person, second, field="photo", rendition_field="photo_thumbnail")
        person.save()
        raise RuntimeError("a later write in the same transaction failed")

    assert sorted(media_files(settings)) == kept
    person.refresh_from_db()
    assert sorted([Path(person.photo.path), Path(person.photo_thumbnail.path)]) == kept


def test_a_successful_save_keeps_its_files(db, settings):
    person = Person.objects.create(name="Mira Murati")
    processed = process_image_upload(upload(encode(two_halves(), "JPEG")))
    with files_removed_unless_saved():
        save_processed_image(person, processed, field="photo", rendition_field="photo_thumbnail")
        person.save()
    assert sorted(media_files(settings)) == sorted(
        [Path(person.photo.path), Path(person.photo_thumbnail.path)]
    )

"""Uploads through the admin, as an editor makes them (ASVS V12.1, V12.2, V5.2.6 for SVG).

newsroom/tests/test_images.py checks each refusal of ``process_image_upload``; here each
hostile file goes through the real upload route: refused beside the field with a message,
no person saved, no file stored.
"""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from people.models import Person
from people.tests.factories import editor

pytestmark = [pytest.mark.django_db, pytest.mark.lazy_queries_allowed]

ADD = reverse("admin:people_person_add")


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="JPEG")
    return buffer.getvalue()


def bomb() -> bytes:
    """A 1x1 PNG whose header claims 100,000 x 100,000 pixels."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", 100_000, 100_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)

HOSTILE = {
    "decompression bomb": ("bomb.png", bomb(), "megapixels are accepted"),
    "truncated image": ("cut.jpg", jpeg((400, 300))[:700], "damaged or incomplete"),
    "lies about its type": ("photo.jpg", b"#!/bin/sh\necho pwned\n" * 20, "not an image"),
    "svg": ("logo.svg", SVG, "SVG file, which is not accepted"),
    "svg named as a png": ("logo.png", SVG, "SVG file, which is not accepted"),
    "huge file": ("huge.jpg", jpeg() + b"\0" * 3_000_000, "is larger than"),
}


def management_fields(page: str) -> dict[str, str]:
    """The inline formsets' hidden management fields, as the browser would send them."""
    return dict(
        re.findall(
            r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"'
            r'[^>]*value="(\d*)"',
            page,
        )
    )


def post_person(client, name, data, **fields):
    page = client.get(ADD).content.decode()
    form = {**management_fields(page), "name": "Mira Murati", "sort_name": "Murati, Mira"}
    form.update(fields)
    form["photo_upload"] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(ADD, form)


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.fixture
def editor_client(client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 2_000_000
    client.force_login(editor())
    return client


def test_a_good_photo_is_stored_cleaned(editor_client, settings):
    response = post_person(editor_client, "mira.jpg", jpeg())
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get()
    assert person.photo.name.endswith(".jpg") and "mira" not in person.photo.name
    assert len(stored_files(settings)) == 2  # the photo and its thumbnail


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_upload_is_refused_with_a_message_and_nothing_stored(
    editor_client, settings, case
):
    name, data, message = HOSTILE[case]
    response = post_person(editor_client, name, data)
    assert response.status_code == 200  # the form again
    page = response.content.decode()
    assert message in page
    assert name in page
    assert not Person.objects.exists()
    assert stored_files(settings) == []

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


def test_an_upload_refused_for_another_field_stores_nothing(editor_client, settings):
    response = post_person(editor_client, "mira.jpg", jpeg(), wikidata_id="not-a-qid")
    assert response.status_code == 200
    assert "A Wikidata QID looks like Q42." in response.content.decode()
    assert not Person.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("failing", ["the row", "the names inline"])
def test_a_save_that_fails_after_the_upload_stores_no_file(
    editor_client, settings, monkeypatch, failing
):
    """The photo is stored before the row is saved: when the save (or a later write in the
    admin's transaction) fails, the new files go with the rolled-back row."""
    from django.db import DatabaseError

    from people.admin import PersonAdmin

    def fail(*args, **kwargs):
        raise DatabaseError("the database refused the write")

    if failing == "the row":
        monkeypatch.setattr(Person, "save", fail)
    else:
        monkeypatch.setattr(PersonAdmin, "save_related", fail)
    with pytest.raises(DatabaseError):
        post_person(editor_client, "mira.jpg", jpeg())
    assert not Person.objects.exists()
    assert stored_files(settings) == []


def test_a_failed_photo_change_keeps_the_previous_photo(editor_client, settings, monkeypatch):
    from django.db import DatabaseError

    from people.admin import PersonAdmin

    assert post_person(editor_client, "first.jpg", jpeg()).status_code == 302
    person = Person.objects.get()
    kept = sorted(stored_files(settings))
    assert len(kept) == 2

    def fail(*args, **kwargs):
        raise DatabaseError("the database refused the write")

    monkeypatch.setattr(PersonAdmin, "save_related", fail)
    url = reverse("admin:people_person_change", args=[person.pk])
    form = {
        **management_fields(editor_client.get(url).content.decode()),
        "name": "Mira Murati",
        "sort_name": "Murati, Mira",
        "photo_upload": SimpleUploadedFile("second.jpg", jpeg((80, 60)), "image/jpeg"),
    }
    with pytest.raises(DatabaseError):
        editor_client.post(url, form)
    assert sorted(stored_files(settings)) == kept
    person.refresh_from_db()
    assert sorted([Path(person.photo.path), Path(person.photo_thumbnail.path)]) == kept


def post_organization(client, name, data):
    url = reverse("admin:people_organization_add")
    page = client.get(url).content.decode()
    form = {**management_fields(page), "name": "OpenAI", "kind": "company"}
    form["logo_upload"] = SimpleUploadedFile(name, data, content_type="image/png")
    return client.post(url, form)


def test_a_good_logo_is_stored_cleaned(editor_client, settings):
    from people.models import Organization

    response = post_organization(editor_client, "openai-logo.png", jpeg())
    assert response.status_code == 302, response.content.decode()[:3000]
    organization = Organization.objects.get()
    assert organization.logo and "openai-logo" not in organization.logo.name
    assert stored_files(settings)


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_logo_is_refused_with_a_message_and_nothing_stored(editor_client, settings, case):
    from people.models import Organization

    name, data, message = HOSTILE[case]
    response = post_organization(editor_client, name, data)
    assert response.status_code == 200  # the form again
    assert message in response.content.decode()
    assert not Organization.objects.exists()
    assert stored_files(settings) == []


def test_an_organization_logo_is_not_left_behind_by_a_failed_save(
    editor_client, settings, monkeypatch
):
    from django.db import DatabaseError

    from people.admin import OrganizationAdmin
    from people.models import Organization

    url = reverse("admin:people_organization_add")
    page = editor_client.get(url).content.decode()

    def fail(*args, **kwargs):
        raise DatabaseError("the database refused the write")

    monkeypatch.setattr(OrganizationAdmin, "save_related", fail)
    form = {
        **management_fields(page),
        "name": "OpenAI",
        "kind": "company",
        "logo_upload": SimpleUploadedFile("logo.png", jpeg(), "image/jpeg"),
    }
    with pytest.raises(DatabaseError):
        editor_client.post(url, form)
    assert not Organization.objects.exists()
    assert stored_files(settings) == []


def test_the_person_form_saving_itself_leaves_no_file_when_the_save_fails(settings, monkeypatch):
    from django.db import DatabaseError

    from people.forms import PersonForm

    settings.IMAGE_UPLOAD_MAX_BYTES = 2_000_000
    form = PersonForm(
        {"name": "Mira Murati", "sort_name": "Murati, Mira"},
        {"photo_upload": SimpleUploadedFile("mira.jpg", jpeg(), "image/jpeg")},
    )
    assert form.is_valid(), form.errors

    def fail(*args, **kwargs):
        raise DatabaseError("the database refused the write")

    monkeypatch.setattr(Person, "save", fail)
    with pytest.raises(DatabaseError):
        form.save()
    assert stored_files(settings) == []

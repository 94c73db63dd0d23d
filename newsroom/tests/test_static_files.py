"""Production serves its own static files (WhiteNoise), under content-hashed names."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_production_uses_hashed_static_names_by_default():
    from newsroom import settings as production

    assert production.DEBUG is False
    assert production.STORAGES["staticfiles"] == PRODUCTION_STORAGES["staticfiles"]
    assert production.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = PRODUCTION_STORAGES
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.parametrize("name", ["css/site.css", "js/desk.js", "django_htmx/htmx-2.min.js"])
def test_collected_files_are_served_with_far_future_caching(collected, name):
    url = static(name)
    stem, extension = name.rsplit(".", 1)
    assert re.fullmatch(rf"/static/{re.escape(stem)}\.[0-9a-f]{{12}}\.{extension}", url), url
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


def test_pages_link_the_hashed_names(collected):
    page = Client().get("/").content.decode()
    assert f'href="{static("css/site.css")}"' in page
    assert static("django_htmx/htmx-2.min.js") in page


def test_every_page_has_a_favicon_and_favicon_ico_answers(client):
    page = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.ico")}" sizes="any">' in page
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == static("favicon.ico")
    for name, magic in (("favicon.ico", b"\x00\x00\x01\x00"), ("favicon.svg", b"<svg")):
        found = finders.find(name)
        assert found, name
        assert Path(found).read_bytes().startswith(magic)


def test_the_collected_favicon_is_served_by_its_hashed_name(collected):
    assert Client().get("/favicon.ico")["Location"] == static("favicon.ico")
    assert Client().get(static("favicon.ico")).status_code == 200

"""Production serves its own static files (WhiteNoise), under content-hashed names."""

import re

import pytest
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

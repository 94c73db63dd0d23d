"""Whole reader pages from cache (newsroom/page_cache.py): served without the database,
answered 304 when the reader has them, never for the signed in, and fresh after a write,
also one made by another process."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from people.tests.factories import OrganizationFactory, PersonFactory, editor, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def openai():
    organization = OrganizationFactory(name="OpenAI", slug="openai")
    record(PersonFactory(name="Mira Murati"), organization, "appointed", "CTO", "2018-06-01")
    return organization


PAGES = ["/", "/stories/", "/people/", "/people/?q=mira", "/organizations/", "/corrections/"]


@pytest.mark.parametrize("url", PAGES)
def test_a_readers_page_comes_from_the_cache_the_second_time(
    client, openai, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "Last-Modified" in again
    control = again["Cache-Control"]
    assert "public" in control and "max-age=" in control and "stale-while-revalidate=" in control
    assert {"Cookie", "HX-Request", "Accept-Language"} <= {
        v.strip() for v in again["Vary"].split(",")
    }
    assert "Set-Cookie" not in str(again.cookies) or not again.cookies


def test_the_organization_page_with_and_without_as_of(client, openai, django_assert_num_queries):
    url = openai.get_absolute_url()
    today, then = client.get(url), client.get(url + "?as_of=2019-01-01")
    assert today.content != then.content
    with django_assert_num_queries(0):
        assert client.get(url + "?as_of=2019-01-01").content == then.content
        assert client.get(url).content == today.content


def test_the_htmx_answer_and_the_page_are_kept_apart(client, openai):
    url = openai.get_absolute_url() + "?as_of=2019-01-01"
    partial = client.get(url, headers={"HX-Request": "true"}).content
    page = client.get(url).content
    assert b"<html" in page and b"<html" not in partial
    assert client.get(url, headers={"HX-Request": "true"}).content == partial


def test_each_language_has_its_own_copy(client, openai, django_assert_num_queries):
    """The language is the address's (/ja/ for Japanese): each edition is cached apart, and
    Accept-Language changes neither which copy is served nor its language."""
    english = client.get("/people/")
    japanese = client.get("/ja/people/")
    assert english["Content-Language"] == "en"
    assert japanese["Content-Language"] == "ja"
    assert english.content != japanese.content
    assert '<html lang="ja">' in japanese.content.decode()
    with django_assert_num_queries(0):
        japanese_again = client.get("/ja/people/", headers={"Accept-Language": "en"})
        english_again = client.get("/people/", headers={"Accept-Language": "ja"})
    assert japanese_again.content == japanese.content
    assert japanese_again["Content-Language"] == "ja"
    assert english_again.content == english.content
    assert english_again["Content-Language"] == "en"
    assert japanese_again["ETag"] != english_again["ETag"]


def test_a_conditional_request_gets_304(client, openai, django_assert_num_queries):
    url = openai.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
        by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_page_rebuilt_the_same_keeps_its_etag(client, openai):
    url = openai.get_absolute_url()
    first = client.get(url)
    PersonFactory(name="Somebody Else")  # a write nobody named: every page is rebuilt
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_the_signed_in_are_never_served_from_or_into_the_cache(client, openai):
    url = openai.get_absolute_url()
    client.get(url)  # cached for readers
    client.force_login(editor())
    response = client.get(url)
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    assert b"Sign out" in response.content
    client.logout()
    assert b"Sign out" not in client.get(url).content


def test_a_reader_page_carries_no_csrf_token_or_nonce(client, openai):
    response = client.get(openai.get_absolute_url())
    body = response.content.decode()
    assert "x-csrftoken" not in body and "nonce" not in body
    assert "csrftoken" not in response.cookies


def test_a_write_by_another_process_shows_on_the_next_request(client, openai):
    """The versions are in files every process reads (no Redis here): a write noted by
    another process (manage.py import_moves, a second worker) reaches this one's pages."""
    url = openai.get_absolute_url()
    client.get(url)
    assert client.get(url).status_code == 200
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "from newsroom.cache import note_write\n"
        "note_write(connection)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_VERSIONS_DIR": settings.CACHES["versions"]["LOCATION"],
    }
    env.setdefault("SECRET_KEY", "test-only-not-a-secret-key-for-the-test-suite-0123456789")
    subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], check=True, cwd=settings.BASE_DIR, env=env, timeout=60
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0  # rebuilt: the other process's write was seen


def test_a_page_changed_within_the_second_is_not_304_by_date(client, openai):
    from django.utils.http import parse_http_date

    url = openai.get_absolute_url()
    first = client.get(url)
    openai.name = "OpenAI Inc."
    openai.save()
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200 and b"OpenAI Inc." in again.content
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])

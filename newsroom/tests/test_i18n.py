"""The two editions (newsroom/i18n.py): English at the root, Japanese under /ja/."""

import pytest

from newsroom.i18n import path_in


@pytest.mark.parametrize(
    ("language", "full_path", "expected"),
    [
        ("ja", "/people/bob/", "/ja/people/bob/"),
        ("ja", "/", "/ja/"),
        ("ja", "/ja/people/bob/", "/ja/people/bob/"),
        ("en", "/ja/people/bob/?page=2", "/people/bob/?page=2"),
        ("en", "/ja/", "/"),
        ("en", "/ja", "/"),
        ("en", "/japan/", "/japan/"),
        ("en", "/people/", "/people/"),
    ],
)
def test_path_in(language, full_path, expected):
    assert path_in(language, full_path) == expected


@pytest.mark.django_db
def test_a_page_is_english_at_the_root_and_japanese_under_ja(client):
    english = client.get("/people/")
    japanese = client.get("/ja/people/")
    assert english.status_code == japanese.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="ja">' in japanese.content.decode()
    assert japanese["Content-Language"] == "ja"


@pytest.mark.django_db
def test_accept_language_does_not_choose_the_edition(client):
    """The address alone does: a Japanese browser at / still gets the English page."""
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.django_db
def test_every_page_links_to_its_twin_in_the_other_language(client):
    url = "/organizations/"
    english = client.get(f"{url}?x=1").content.decode()
    assert f'<a href="/ja{url}?x=1" hreflang="ja" lang="ja">日本語</a>' in english
    japanese = client.get(f"/ja{url}").content.decode()
    assert f'<a href="{url}" hreflang="en" lang="en">English</a>' in japanese


@pytest.mark.django_db
def test_the_head_lists_both_editions_and_a_default(client):
    page = client.get("/ja/people/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/people/">' in page
    assert '<link rel="alternate" hreflang="ja" href="http://testserver/ja/people/">' in page
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/people/">' in page


@pytest.mark.django_db
def test_the_api_stays_at_one_address_and_in_english(client):
    assert client.get("/ja/api/people").status_code == 404
    response = client.get("/api/people?q=bob", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_desk_is_under_ja_too(client):
    assert client.get("/ja/desk/")["Location"].startswith("/ja/accounts/login/")


@pytest.mark.django_db
def test_japanese_dates_keep_their_precision_on_a_profile(client):
    from people.tests.factories import OrganizationFactory, PersonFactory, record

    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "joined", "CTO", "2018-06")
    page = client.get(f"/ja{mira.get_absolute_url()}").content.decode()
    assert "2018年6月から" in page
    assert "2018年6月1日" not in page  # never a made-up day

"""Names in the reader's script (people/names.py)."""

import pytest

from people.models import OrganizationName, PersonName
from people.tests.factories import OrganizationFactory, PersonFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def mira():
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="Anthropic")
    PersonName.objects.create(person=mira, name="ミラ", language="ja", note="given name")
    PersonName.objects.create(person=mira, name="ミラ・ムラティ", language="ja")
    OrganizationName.objects.create(organization=openai, name="アンソロピック", language="ja")
    record(mira, openai, "joined", "CTO", "2018-06")
    return mira


def test_on_japanese_pages_the_japanese_name_leads_with_the_latin_one_beside(client, mira):
    page = client.get(f"/ja{mira.get_absolute_url()}").content.decode()
    assert (
        '<h1><span lang="ja">ミラ・ムラティ</span> '
        '<span class="latin-name" lang="en">(Mira Murati)</span></h1>'
    ) in page
    assert "<title>ミラ・ムラティ (Mira Murati) · Newsroom</title>" in page
    assert '<span lang="ja">アンソロピック</span>' in page  # the organization too


def test_a_given_name_alone_never_leads(client, mira):
    PersonName.objects.filter(name="ミラ・ムラティ").delete()
    page = client.get(f"/ja{mira.get_absolute_url()}").content.decode()
    assert "<h1>Mira Murati</h1>" in page


def test_english_pages_keep_the_latin_name_and_ask_nothing_more(
    client, mira, django_assert_num_queries
):
    url = mira.get_absolute_url()
    assert "<h1>Mira Murati</h1>" in client.get(url).content.decode()
    client.get(f"/ja{url}")
    with django_assert_num_queries(0):  # the Japanese page's names come from the cache too
        client.get(f"/ja{url}")


def test_a_new_japanese_name_shows_on_the_next_request(client, mira):
    url = f"/ja{mira.get_absolute_url()}"
    client.get(url)
    PersonName.objects.filter(name="ミラ・ムラティ").update(name="ミラ・ムラーティ")
    assert "ミラ・ムラーティ" in client.get(url).content.decode()

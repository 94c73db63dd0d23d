"""A story and its translation: linked both ways, each published on its own (issue 17)."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command

from stories.models import Story
from stories.services import story_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_desk", verbosity=0)
    english = Story.objects.get(language="en", status="published")
    japanese = Story.objects.get(language="ja")
    return english, japanese


def test_the_demo_desk_has_the_story_in_japanese_linked_to_the_english_one(demo):
    english, japanese = demo
    assert japanese.translation_of_id == english.pk
    assert list(english.translations.all()) == [japanese]
    assert japanese.is_public


def test_each_article_links_to_the_other_in_its_own_edition(client, demo):
    english, japanese = demo
    english_url, japanese_url = english.get_absolute_url(), f"/ja{japanese.get_absolute_url()}"
    page = client.get(english_url).content.decode()
    assert f'<a href="{japanese_url}" hreflang="ja">Also in Japanese</a>' in page
    page = client.get(japanese_url).content.decode()
    assert f'<a href="{english_url}" hreflang="en">この記事は英語版もあります</a>' in page
    assert 'lang="ja"' in page and "OpenAI、CTOと研究部門の幹部2人が同じ日に退社" in page


def test_an_unpublished_translation_is_not_linked(client, demo):
    english, japanese = demo
    Story.objects.filter(pk=japanese.pk).update(status="draft")
    assert "Also in Japanese" not in client.get(english.get_absolute_url()).content.decode()


def test_a_translation_is_in_another_language(demo):
    english, _japanese = demo
    with pytest.raises(ValidationError, match="another language"):
        story_create(
            author=User.objects.get(username="journalist"), title="Again", translation_of=english
        )


def test_a_translation_of_a_translation_names_the_original(demo):
    english, japanese = demo
    other = story_create(
        author=User.objects.get(username="journalist"),
        title="Encore",
        language="ja",
        translation_of=japanese,
    )
    assert other.translation_of_id == english.pk


def test_feeds_per_language(client, demo):
    english, japanese = demo
    feed = client.get("/feeds/stories/ja/").content.decode()
    assert japanese.title in feed and english.title not in feed
    assert f"/ja/stories/{japanese.slug}/" in feed
    assert '<feed xml:lang="ja"' in feed
    feed = client.get("/feeds/stories/en/").content.decode()
    assert english.title in feed and japanese.title not in feed
    assert client.get("/feeds/stories/fr/").status_code == 404


def test_the_desk_starts_a_story_s_version_in_another_language(client, demo):
    english, _japanese = demo
    client.force_login(User.objects.get(username="journalist"))
    page = client.get(f"/ja/desk/stories/new/?translation_of={english.pk}").content.decode()
    assert f'<input type="hidden" name="translation_of" value="{english.pk}">' in page
    assert '<option value="ja" selected>' in page
    response = client.post(
        "/ja/desk/stories/new/",
        {"translation_of": english.pk, "title": "二つ目の日本語版", "language": "ja", "body": ""},
    )
    assert response.status_code == 302
    draft = Story.objects.get(title="二つ目の日本語版")
    assert draft.translation_of_id == english.pk and draft.status == "draft"
    assert response["Location"] == f"/ja/desk/stories/{draft.pk}/"

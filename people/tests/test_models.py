"""Single-row rules on the people models (clean())."""

import pytest
from django.core.exceptions import ValidationError

from people.models import Post, Rank
from people.tests.factories import OrganizationFactory, PersonFactory, PostFactory, record

pytestmark = pytest.mark.django_db


def test_a_post_with_role_changes_cannot_move_to_another_organization():
    openai = OrganizationFactory(name="OpenAI")
    record(PersonFactory(name="Mira Murati"), openai, "appointed", "CTO", "2022-05")
    post = Post.objects.get(title="CTO")
    post.organization = OrganizationFactory(name="Anthropic")
    with pytest.raises(ValidationError) as refused:
        post.full_clean()
    assert list(refused.value.message_dict) == ["organization"]
    assert "cannot move to another organization" in refused.value.message_dict["organization"][0]
    post.refresh_from_db()
    assert post.organization_id == openai.pk


def test_an_unused_post_can_still_move_and_a_used_one_keeps_its_other_edits():
    unused = PostFactory()
    unused.organization = OrganizationFactory(name="Anthropic")
    unused.full_clean()

    openai = OrganizationFactory(name="OpenAI")
    record(PersonFactory(), openai, "appointed", "CTO", "2022-05")
    used = Post.objects.get(title="CTO")
    used.rank = Rank.C_SUITE
    used.is_leadership = True
    used.full_clean()

"""Stories through the services every desk screen uses: drafting, review, rules 4 and 6."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError

from newsroom.models import AuditAction, AuditEntry, ProposedEdit
from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist
from stories.models import (
    Citation,
    CitationState,
    Correction,
    CorrectionFlag,
    FlagResolution,
    Story,
    StoryRevision,
    StoryStatus,
)
from stories.services import (
    StoryConflict,
    StoryNotPublishable,
    citation_add,
    citation_decide,
    proposed_edit_decide,
    source_update,
    statement_update,
    story_add_correction,
    story_attach,
    story_create,
    story_detach_citation,
    story_detach_role_change,
    story_publish,
    story_save,
    story_send_back,
    story_submit,
    story_withdraw,
)
from stories.services.rules import publication_blockers
from stories.tests.factories import SourceFactory, pending_citation

pytestmark = pytest.mark.django_db


def verified_citation(**kwargs) -> Citation:
    citation = pending_citation(**kwargs)
    citation_decide(citation=citation, editor=editor(), decision="verified")
    return citation


def save(story, user, **changes) -> Story:
    fields = {
        "title": story.title,
        "dek": story.dek,
        "body": story.body,
        "language": story.language,
        "base_version": story.version,
    }
    fields.update(changes)
    return story_save(story=story, editor=user, **fields)


def draft_citing(author, *citations, title="Who runs OpenAI now") -> Story:
    """A draft by ``author`` whose body cites each citation, attached through the service."""
    story = story_create(author=author, title=title, body="Intro.")
    story_attach(story=story, user=author, citations=citations)
    body = " ".join(f"Claim {n}.{citation.marker}" for n, citation in enumerate(citations, 1))
    return save(story, author, body=body)


def published_citing(*citations) -> Story:
    author = journalist()
    story = draft_citing(author, *citations)
    story_submit(story=story, user=author)
    return story_publish(story=story, editor=editor())


def stored(story) -> Story:
    return Story.objects.get(pk=story.pk)


# Drafting and revisions --------------------------------------------------------------------


def test_a_new_draft_belongs_to_its_author_and_keeps_revision_one():
    author = journalist()
    story = story_create(author=author, title="  Who runs OpenAI now ", body="*Hello*")
    assert story.status == StoryStatus.DRAFT
    assert story.title == "Who runs OpenAI now"
    assert story.slug == "who-runs-openai-now"
    assert list(story.authors.all()) == [author]
    assert story.body_html == "<p><em>Hello</em></p>\n"
    revisions = list(story.revisions.values_list("number", "title", "body", "saved_by"))
    assert revisions == [(1, "Who runs OpenAI now", "*Hello*", author.pk)]


def test_every_save_keeps_a_revision_with_its_text_and_who_saved_it():
    author, chief = journalist(), editor()
    story = story_create(author=author, title="Draft", body="One.")
    story = save(story, author, body="Two.")
    story = save(story, chief, title="Draft, edited", body="Three.")
    assert story.version == 3
    assert stored(story).body_html == "<p>Three.</p>\n"
    assert list(story.revisions.order_by("number").values_list("number", "title", "body")) == [
        (1, "Draft", "One."),
        (2, "Draft", "Two."),
        (3, "Draft, edited", "Three."),
    ]
    assert story.revisions.get(number=3).saved_by_id == chief.pk


def test_a_save_from_a_stale_copy_is_refused_and_changes_nothing():
    first, second = journalist(username="first"), editor(username="second")
    story = story_create(author=first, title="Draft", body="Original.")
    stale_copy = stored(story)
    save(story, first, body="First writer's text.")
    with pytest.raises(StoryConflict) as clash:
        save(stale_copy, second, body="Second writer's text.")
    assert clash.value.current.body == "First writer's text."
    assert clash.value.saved_by == "first"
    assert "first saved this story" in str(clash.value)
    now = stored(story)
    assert (now.body, now.version) == ("First writer's text.", 2)
    assert StoryRevision.objects.filter(story=story).count() == 2
    # Saved again from what is stored now, the second writer's text goes in.
    saved = save(stale_copy, second, body="Second writer's text.", base_version=2)
    assert (saved.body, saved.version) == ("Second writer's text.", 3)


def test_a_save_without_a_title_is_refused_and_changes_nothing():
    author = journalist()
    story = story_create(author=author, title="Draft", body="One.")
    with pytest.raises(ValidationError) as refused:
        save(story, author, title="  ", body="Two.")
    assert "title" in refused.value.message_dict
    assert (stored(story).body, stored(story).version) == ("One.", 1)


def test_a_marker_naming_no_citation_is_an_error_naming_the_marker():
    author = journalist()
    story = story_create(author=author, title="Draft", body="One.")
    with pytest.raises(ValidationError) as refused:
        save(story, author, body="Murati left.[^c999999]")
    assert refused.value.message_dict["body"] == ["[^c999999] names no citation: check the number."]
    assert stored(story).body == "One." and story.revisions.count() == 1


MALFORMED = (
    "[^C12] is not a citation marker: write [^c and the citation's number, with a lowercase c "
    "and no space, like [^c12] (the citation picker inserts it)."
)


def test_a_malformed_marker_is_an_error_and_nothing_is_saved():
    author = journalist()
    with pytest.raises(ValidationError) as refused:
        story_create(author=author, title="Draft", body="Murati left.[^C12]")
    assert refused.value.message_dict["body"] == [MALFORMED]
    story = story_create(author=author, title="Draft", body="One.")
    with pytest.raises(ValidationError) as refused:
        save(story, author, body="Murati left.[^C12] [^c 7]")
    assert refused.value.message_dict["body"] == [
        MALFORMED,
        MALFORMED.replace("[^C12]", "[^c 7]", 1),
    ]
    assert stored(story).body == "One." and story.revisions.count() == 1


def test_a_malformed_marker_blocks_submitting_and_publishing():
    """A body stored before the check (or by a direct write) is still refused."""
    author = journalist()
    citation = verified_citation()
    story = draft_citing(author, citation)
    Story.objects.filter(pk=story.pk).update(body=f"{story.body} And [^C12].")
    with pytest.raises(ValidationError) as refused:
        story_submit(story=story, user=author)
    assert refused.value.message_dict["body"] == [MALFORMED]
    Story.objects.filter(pk=story.pk).update(status=StoryStatus.IN_REVIEW)
    with pytest.raises(StoryNotPublishable) as blocked:
        story_publish(story=story, editor=editor())
    assert blocked.value.messages == [MALFORMED]
    assert stored(story).status == StoryStatus.IN_REVIEW


def test_a_marker_naming_a_citation_not_attached_is_an_error():
    author = journalist()
    citation = pending_citation()
    with pytest.raises(ValidationError) as refused:
        story_create(author=author, title="Draft", body=f"Murati left.{citation.marker}")
    assert refused.value.message_dict["body"] == [
        f"{citation.marker} is not attached to this story: attach citation {citation.pk} "
        "first, from the citation picker."
    ]
    assert not Story.objects.exists()
    story = story_create(author=author, title="Draft", body="One.")
    with pytest.raises(ValidationError):
        save(story, author, body=f"Murati left.{citation.marker}")
    story_attach(story=story, user=author, citations=[citation])
    assert save(story, author, body=f"Murati left.{citation.marker}").version == 2


def test_a_journalist_cannot_edit_another_journalists_draft():
    """The design lets journalists edit their own drafts; editors edit any story."""
    author, colleague = journalist(), journalist()
    story = story_create(author=author, title="Draft", body="Mine.")
    with pytest.raises(PermissionDenied):
        save(story, colleague, body="Theirs.")
    with pytest.raises(PermissionDenied):
        story_attach(story=story, user=colleague, citations=[pending_citation()])
    with pytest.raises(PermissionDenied):
        story_submit(story=story, user=colleague)
    assert stored(story).body == "Mine." and not stored(story).citations.exists()
    assert save(story, editor(), body="Edited by the desk chief.").version == 2


def test_a_reader_without_a_desk_role_cannot_start_a_story():
    from people.tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        story_create(author=UserFactory(), title="Draft")
    assert not Story.objects.exists()


# Attaching ---------------------------------------------------------------------------------


def test_attaching_a_move_attaches_its_citations_and_covers_its_person_and_organization():
    author = journalist()
    person, organization = PersonFactory(name="Mark Chen"), OrganizationFactory(name="OpenAI")
    citation = pending_citation(person=person, organization=organization)
    second = citation_add(role_change=citation.role_change, source=SourceFactory(), statement=None)
    rejected = citation_add(role_change=citation.role_change, source=SourceFactory())
    citation_decide(citation=rejected, editor=editor(), decision="rejected", note="Not him.")
    story = story_create(author=author, title="Draft")
    story_attach(story=story, user=author, role_changes=[citation.role_change])
    assert set(story.citations.values_list("pk", flat=True)) == {citation.pk, second.pk}
    assert list(story.role_changes.all()) == [citation.role_change]
    assert list(story.people.all()) == [person]
    assert list(story.organizations.all()) == [organization]


def test_attaching_one_citation_covers_its_move_but_not_the_moves_other_citations():
    author = journalist()
    citation = pending_citation()
    other = citation_add(role_change=citation.role_change, source=SourceFactory(), statement=None)
    story = story_create(author=author, title="Draft")
    story_attach(story=story, user=author, citations=[citation])
    assert list(story.citations.all()) == [citation]
    assert list(story.role_changes.all()) == [citation.role_change]
    assert other not in story.citations.all()


def test_a_rejected_citation_cannot_be_attached():
    author = journalist()
    citation = pending_citation()
    citation_decide(citation=citation, editor=editor(), decision="rejected", note="Made up.")
    story = story_create(author=author, title="Draft")
    with pytest.raises(ValidationError) as refused:
        story_attach(story=story, user=author, citations=[citation])
    assert refused.value.message_dict["citations"] == [
        f"Citation {citation.pk} was rejected by an editor."
    ]
    assert not story.citations.exists() and not story.role_changes.exists()


def test_nothing_unverified_joins_a_published_story():
    story = published_citing(verified_citation())
    pending = pending_citation(person=PersonFactory(name="Mira Murati"), title="CEO")
    with pytest.raises(ValidationError) as refused:
        story_attach(story=story, user=editor(), citations=[pending])
    assert refused.value.message_dict["citations"] == [
        f"Citation {pending.pk} (Mira Murati, CEO) is pending, not verified."
    ]
    assert pending not in story.citations.all()


def test_a_citation_is_detached_only_once_the_body_no_longer_cites_it():
    author = journalist()
    citation = pending_citation()
    story = draft_citing(author, citation)
    with pytest.raises(ValidationError) as refused:
        story_detach_citation(story=story, user=author, citation=citation)
    assert refused.value.message_dict["citations"] == [
        f"The body still cites {citation.marker}: remove the marker first."
    ]
    assert citation in story.citations.all()
    story = save(story, author, body="No claim left.")
    story_detach_citation(story=story, user=author, citation=citation)
    assert not story.citations.exists()


def test_detaching_a_move_detaches_its_citations_unless_the_body_cites_one():
    author = journalist()
    citation = pending_citation()
    kept = pending_citation()
    story = story_create(author=author, title="Draft")
    story_attach(story=story, user=author, role_changes=[citation.role_change, kept.role_change])
    story = save(story, author, body=f"Claim.{citation.marker}")
    with pytest.raises(ValidationError) as refused:
        story_detach_role_change(story=story, user=author, role_change=citation.role_change)
    assert refused.value.message_dict["role_changes"] == [
        f"The body still cites {citation.marker}, which supports this move: "
        "remove the marker first."
    ]
    assert set(story.role_changes.all()) == {citation.role_change, kept.role_change}
    story = save(story, author, body="No claim left.")
    story_detach_role_change(story=story, user=author, role_change=citation.role_change)
    assert list(story.role_changes.all()) == [kept.role_change]
    assert list(story.citations.all()) == [kept]


# Review and publishing (rule 4) ----------------------------------------------------------


def test_submitting_sends_a_draft_to_review_and_clears_an_old_note():
    author = journalist()
    story = draft_citing(author, verified_citation())
    story_submit(story=story, user=author)
    story_send_back(story=story, editor=editor(), note="Say when she left.")
    assert stored(story).review_note == "Say when she left."
    story_submit(story=story, user=author)
    assert (stored(story).status, stored(story).review_note) == (StoryStatus.IN_REVIEW, "")
    with pytest.raises(ValidationError):
        story_submit(story=story, user=author)


def test_sending_back_needs_a_note_and_returns_the_story_to_its_authors():
    author = journalist()
    story = draft_citing(author, verified_citation())
    story_submit(story=story, user=author)
    with pytest.raises(ValidationError) as refused:
        story_send_back(story=story, editor=editor(), note="   ")
    assert "note" in refused.value.message_dict
    assert stored(story).status == StoryStatus.IN_REVIEW
    with pytest.raises(PermissionDenied):
        story_send_back(story=story, editor=journalist(), note="Looks wrong.")
    story_send_back(story=story, editor=editor(), note="Name the source of the CTO claim.")
    sent_back = stored(story)
    assert sent_back.status == StoryStatus.DRAFT
    assert sent_back.review_note == "Name the source of the CTO claim."
    assert save(sent_back, author, body=sent_back.body + " More.").version == sent_back.version + 1


def test_publishing_is_refused_naming_every_citation_that_is_not_verified():
    chief = editor()
    verified = verified_citation()
    pending = pending_citation(person=PersonFactory(name="Mira Murati"), title="CTO")
    disputed = pending_citation(person=PersonFactory(name="Matt Knight"), title="CIO")
    citation_decide(citation=disputed, editor=chief, decision="disputed", note="Says CISO.")
    author = journalist()
    story = draft_citing(author, verified, pending, disputed)
    story_submit(story=story, user=author)
    with pytest.raises(StoryNotPublishable) as refused:
        story_publish(story=story, editor=chief)
    assert refused.value.messages == [
        f"Citation {pending.pk} (Mira Murati, CTO) is pending, not verified.",
        f"Citation {disputed.pk} (Matt Knight, CIO) is disputed, not verified.",
    ]
    assert [citation.pk for citation in refused.value.blocking] == [pending.pk, disputed.pk]
    unchanged = stored(story)
    assert unchanged.status == StoryStatus.IN_REVIEW and unchanged.first_published_at is None


def test_an_attached_citation_the_body_does_not_cite_still_blocks_publication():
    author = journalist()
    story = draft_citing(author, verified_citation())
    loose = pending_citation()
    story_attach(story=story, user=author, citations=[loose])
    story_submit(story=story, user=author)
    with pytest.raises(StoryNotPublishable) as refused:
        story_publish(story=story, editor=editor())
    assert [citation.pk for citation in refused.value.blocking] == [loose.pk]


def test_a_story_citing_nothing_is_never_published():
    """Issue 15: "Fifteen executives left OpenAI in six months." went out with no source."""
    author = journalist()
    story = story_create(author=author, title="An exodus", body="Fifteen executives left.")
    story_submit(story=story, user=author)
    with pytest.raises(StoryNotPublishable) as refused:
        story_publish(story=story, editor=editor())
    [blocker] = refused.value.blockers
    assert blocker.message.startswith("The story cites no verified citation")
    assert blocker.url == f"/desk/stories/{story.pk}/#citations-heading"
    assert stored(story).status == StoryStatus.IN_REVIEW


def test_a_verified_citation_attached_but_never_cited_is_not_enough():
    author = journalist()
    story = story_create(author=author, title="An exodus", body="Fifteen executives left.")
    story_attach(story=story, user=author, citations=[verified_citation()])
    story_submit(story=story, user=author)
    assert [blocker.message[:40] for blocker in publication_blockers(stored(story))] == [
        "The story cites no verified citation: ev"
    ]
    with pytest.raises(StoryNotPublishable):
        story_publish(story=story, editor=editor())


def test_every_blocker_says_what_and_links_to_where_it_is_fixed():
    chief = editor()
    verified = verified_citation()
    pending = pending_citation(person=PersonFactory(name="Mira Murati", slug="mira-murati"))
    rejected = pending_citation()
    author = journalist()
    story = draft_citing(author, verified, pending, rejected)
    citation_decide(citation=rejected, editor=chief, decision="rejected", note="Not said.")
    Story.objects.filter(pk=story.pk).update(body=f"{story.body} [^c999999]")

    blockers = publication_blockers(stored(story))

    assert [(blocker.url, blocker.link_text) for blocker in blockers] == [
        (
            f"/desk/verify/?person=mira-murati#citation-{pending.pk}",
            f"citation {pending.pk} in the verification queue",
        ),
        (
            f"/desk/citations/{rejected.pk}/",
            f"decide again on citation {rejected.pk}'s page, or detach it",
        ),
        (f"/desk/stories/{story.pk}/#id_body", "Fix the marker in the body"),
    ]
    assert blockers[2].message == "[^c999999] names no citation: check the number."
    assert [blocker.citation for blocker in blockers[:2]] == [pending, rejected]


def test_publishing_sets_first_published_once_and_only_editors_publish():
    author = journalist()
    citation = pending_citation()
    story = draft_citing(author, citation)
    story_submit(story=story, user=author)
    with pytest.raises(PermissionDenied):
        story_publish(story=story, editor=author)
    assert stored(story).status == StoryStatus.IN_REVIEW
    citation_decide(citation=citation, editor=editor(), decision="verified")
    published = story_publish(story=story, editor=editor())
    assert published.status == StoryStatus.PUBLISHED
    assert published.first_published_at is not None
    assert published.last_updated_at == published.first_published_at
    first = published.first_published_at
    story_add_correction(story=published, editor=editor(), text="The date was 25 September.")
    assert stored(story).first_published_at == first
    assert stored(story).last_updated_at > first


def test_a_draft_cannot_be_published_without_review():
    author = journalist()
    story = draft_citing(author, verified_citation())
    with pytest.raises(ValidationError) as refused:
        story_publish(story=story, editor=editor())
    assert "Only a story in review can be published" in refused.value.messages[0]
    assert stored(story).status == StoryStatus.DRAFT


def test_a_published_story_is_edited_by_editors_only():
    story = published_citing(verified_citation())
    author = story.authors.get()
    with pytest.raises(PermissionDenied):
        save(story, author, body=story.body + " Sneaked in.")
    edited = save(story, editor(), body=story.body + " Updated.", change="update")
    assert edited.version == story.version + 1
    assert edited.last_updated_at > story.first_published_at


def test_withdrawing_needs_a_note_and_an_editor_and_freezes_the_story():
    story = published_citing(verified_citation())
    with pytest.raises(ValidationError):
        story_withdraw(story=story, editor=editor(), note="")
    with pytest.raises(PermissionDenied):
        story_withdraw(story=story, editor=story.authors.get(), note="Wrong.")
    assert stored(story).status == StoryStatus.PUBLISHED
    story_withdraw(story=story, editor=editor(), note="The move was never confirmed.")
    withdrawn = stored(story)
    assert withdrawn.status == StoryStatus.WITHDRAWN
    assert withdrawn.withdrawal_note == "The move was never confirmed."
    assert not Story.objects.published().filter(pk=story.pk).exists()
    with pytest.raises(PermissionDenied):
        save(withdrawn, editor(), body="Back from the dead.")
    with pytest.raises(ValidationError):
        story_publish(story=withdrawn, editor=editor())


# Corrections -------------------------------------------------------------------------------


def test_corrections_are_dated_appended_in_order_and_mark_the_story_corrected():
    story = published_citing(verified_citation())
    chief = editor()
    first = story_add_correction(story=story, editor=chief, text="  She left on 25 September. ")
    second = story_add_correction(story=story, editor=chief, text="Her title was CTO.")
    assert first.text == "She left on 25 September."
    assert first.created_at <= second.created_at and first.created_by_id == chief.pk
    assert list(stored(story).corrections.values_list("text", flat=True)) == [
        "She left on 25 September.",
        "Her title was CTO.",
    ]
    assert stored(story).status == StoryStatus.CORRECTED
    # Editing the story later keeps every correction.
    save(stored(story), chief, body=story.body + " Edited.", change="update")
    assert stored(story).corrections.count() == 2


def test_corrections_cannot_be_edited_or_deleted_away():
    story = published_citing(verified_citation())
    chief = editor()
    story_add_correction(story=story, editor=chief, text="She left on 25 September.")
    assert not chief.has_perm("stories.change_correction")
    assert not chief.has_perm("stories.delete_correction")
    with pytest.raises(ProtectedError):
        Story.objects.filter(pk=story.pk).delete()
    assert Correction.objects.filter(story=story).count() == 1


def test_corrections_need_text_an_editor_and_a_published_story():
    author = journalist()
    draft = draft_citing(author, verified_citation())
    with pytest.raises(ValidationError):
        story_add_correction(story=draft, editor=editor(), text="Too early.")
    story = published_citing(verified_citation())
    with pytest.raises(ValidationError):
        story_add_correction(story=story, editor=editor(), text="  ")
    with pytest.raises(PermissionDenied):
        story_add_correction(story=story, editor=journalist(), text="From a journalist.")
    assert not Correction.objects.exists()


# Rule 6: retractions reach stories ---------------------------------------------------------


@pytest.mark.parametrize("decision", ["disputed", "rejected"])
def test_a_citation_disputed_after_publication_flags_every_story_relying_on_it(decision):
    shared = verified_citation()
    other = verified_citation()
    first, second = published_citing(shared), published_citing(shared, other)
    unrelated = published_citing(other)
    in_review = draft_citing(journalist(), shared)
    citation_decide(citation=shared, editor=editor(), decision=decision, note="Not in the post.")
    flags = CorrectionFlag.objects.filter(resolved_at__isnull=True)
    assert set(flags.values_list("story", "citation")) == {
        (first.pk, shared.pk),
        (second.pk, shared.pk),
    }
    assert all(
        reason == f"Citation {shared.pk} was {decision}: Not in the post."
        for reason in flags.values_list("reason", flat=True)
    )
    assert not CorrectionFlag.objects.filter(story__in=[unrelated, in_review]).exists()


@pytest.mark.parametrize(
    "edit",
    [
        lambda citation, user: statement_update(
            statement=citation.statement, editor=user, quote="A different quote."
        ),
        lambda citation, user: source_update(
            source=citation.source, editor=user, title="A corrected title"
        ),
    ],
    ids=["quote", "source"],
)
def test_an_edit_of_cited_material_flags_no_story_until_the_verified_version_is_rejected(edit):
    """Rules 5 and 6: an edit waits for an editor without undoing the check it rests on, so
    nothing published needs a correction; rejecting the verified version itself does."""
    cited = verified_citation()
    story = published_citing(cited)
    chief = editor()
    edit(Citation.objects.select_related("statement", "source").get(pk=cited.pk), chief)
    assert Citation.objects.get(pk=cited.pk).state == CitationState.VERIFIED
    assert not CorrectionFlag.objects.exists()
    waiting = ProposedEdit.objects.pending().get()
    proposed_edit_decide(edit=waiting, editor=chief, decision="verified")
    assert not CorrectionFlag.objects.exists()

    citation_decide(citation=cited, editor=chief, decision="rejected", note="Misquoted.")

    flag = CorrectionFlag.objects.get(resolved_at__isnull=True)
    assert (flag.story_id, flag.citation_id) == (story.pk, cited.pk)


def test_a_flag_names_the_latest_decision_and_is_not_doubled():
    citation = verified_citation()
    story = published_citing(citation)
    chief = editor()
    citation_decide(citation=citation, editor=chief, decision="disputed", note="Unclear.")
    citation_decide(citation=citation, editor=chief, decision="rejected", note="Misquoted.")
    flag = CorrectionFlag.objects.get(story=story)
    assert flag.reason == f"Citation {citation.pk} was rejected: Misquoted."


def test_a_correction_resolves_the_flags_and_a_new_retraction_flags_again():
    citation = verified_citation()
    story = published_citing(citation)
    chief = editor()
    citation_decide(citation=citation, editor=chief, decision="disputed", note="Unclear.")
    flag = CorrectionFlag.objects.get(story=story)
    correction = story_add_correction(
        story=story, editor=chief, text="We could not confirm.", resolved_flag_ids=[flag.pk]
    )
    flag.refresh_from_db()
    assert (flag.resolved_by_id, flag.correction_id) == (chief.pk, correction.pk)
    assert flag.resolved_at is not None
    citation_decide(citation=citation, editor=chief, decision="verified", note="Confirmed.")
    citation_decide(citation=citation, editor=chief, decision="rejected", note="Retracted.")
    assert CorrectionFlag.objects.filter(story=story, resolved_at__isnull=True).count() == 1


def test_a_correction_resolves_only_the_flags_it_addresses():
    date_citation, quote_citation = verified_citation(), verified_citation()
    story = published_citing(date_citation, quote_citation)
    chief = editor(username="chief")
    citation_decide(citation=date_citation, editor=chief, decision="disputed", note="March?")
    citation_decide(citation=quote_citation, editor=chief, decision="rejected", note="Misquoted.")
    date_flag = CorrectionFlag.objects.get(citation=date_citation)
    quote_flag = CorrectionFlag.objects.get(citation=quote_citation)

    correction = story_add_correction(
        story=story, editor=chief, text="She left in March.", resolved_flag_ids=[date_flag.pk]
    )

    date_flag.refresh_from_db()
    quote_flag.refresh_from_db()
    assert (date_flag.correction_id, date_flag.resolved_by_id) == (correction.pk, chief.pk)
    assert date_flag.resolved_at == correction.created_at
    assert date_flag.resolution == FlagResolution.CORRECTION
    assert (quote_flag.resolved_at, quote_flag.correction_id) == (None, None)
    resolved = AuditEntry.objects.filter(action=AuditAction.CORRECTION_FLAG_RESOLVED)
    assert list(resolved.values_list("actor_name", "object_type", "object_id", "detail")) == [
        (
            "chief",
            "correctionflag",
            str(date_flag.pk),
            f"By correction {correction.pk}: She left in March.",
        )
    ]


def test_a_correction_without_ticked_flags_leaves_every_flag_open():
    citation = verified_citation()
    story = published_citing(citation)
    citation_decide(citation=citation, editor=editor(), decision="disputed", note="Unclear.")
    story_add_correction(story=story, editor=editor(), text="A typo in the dek.")
    assert CorrectionFlag.objects.get(story=story).resolved_at is None


def test_a_correction_naming_a_flag_not_open_on_the_story_changes_nothing():
    citation = verified_citation()
    story, other = published_citing(citation), published_citing(citation)
    chief = editor()
    citation_decide(citation=citation, editor=chief, decision="disputed", note="Unclear.")
    others_flag = CorrectionFlag.objects.get(story=other)
    own_flag = CorrectionFlag.objects.get(story=story)
    with pytest.raises(ValidationError) as refused:
        story_add_correction(
            story=story,
            editor=chief,
            text="Fixed.",
            resolved_flag_ids=[own_flag.pk, others_flag.pk],
        )
    assert f"Flag {others_flag.pk} is not an open flag of this story" in refused.value.messages[0]
    assert not Correction.objects.exists()
    assert CorrectionFlag.objects.filter(resolved_at__isnull=True).count() == 2
    assert stored(story).status == StoryStatus.PUBLISHED


def test_withdrawing_a_story_closes_its_open_flags_as_resolved_by_the_withdrawal():
    citation, other = verified_citation(), verified_citation()
    story, kept = published_citing(citation), published_citing(citation, other)
    chief = editor(username="chief")
    citation_decide(citation=citation, editor=chief, decision="disputed", note="Unclear.")
    flag = CorrectionFlag.objects.get(story=story)

    story_withdraw(story=story, editor=chief, note="The move was never confirmed.")

    flag.refresh_from_db()
    assert flag.resolution == FlagResolution.WITHDRAWAL
    assert flag.resolved_at is not None and flag.resolved_by_id == chief.pk
    assert flag.correction_id is None
    # The other story relying on the citation still needs its correction.
    assert CorrectionFlag.objects.get(story=kept).resolved_at is None
    resolved = AuditEntry.objects.filter(action=AuditAction.CORRECTION_FLAG_RESOLVED)
    assert list(resolved.values_list("actor_name", "object_id", "detail")) == [
        ("chief", str(flag.pk), "By withdrawing the story: The move was never confirmed.")
    ]


def test_a_withdrawn_story_is_not_flagged():
    citation = verified_citation()
    story = published_citing(citation)
    story_withdraw(story=story, editor=editor(), note="Pulled.")
    citation_decide(citation=citation, editor=editor(), decision="rejected", note="Made up.")
    assert not CorrectionFlag.objects.exists()


# Changes to published text ----------------------------------------------------------------


def test_an_edit_of_published_text_must_say_whether_it_is_an_update_or_a_correction():
    story = published_citing(verified_citation())
    chief = editor()
    with pytest.raises(ValidationError) as refused:
        save(story, chief, body=story.body + " Edited.")
    assert "update" in refused.value.message_dict["change"][0]
    with pytest.raises(ValidationError) as refused:
        save(story, chief, body=story.body + " Edited.", change="correction", correction=" ")
    assert refused.value.message_dict["correction"] == ["Write the correction readers will see."]
    assert stored(story).version == story.version
    assert not AuditEntry.objects.filter(action=AuditAction.STORY_UPDATED).exists()


def test_an_update_keeps_the_revision_dates_the_article_and_logs_the_difference():
    story = published_citing(verified_citation())
    chief = editor(username="chief")
    updated = save(story, chief, body=story.body + "\n\nShe joined a start-up.", change="update")
    assert updated.last_updated_at > updated.first_published_at
    assert updated.status == StoryStatus.PUBLISHED
    revision = updated.revisions.get(number=updated.version)
    assert (revision.change, revision.body) == ("update", updated.body)
    [entry] = AuditEntry.objects.filter(action=AuditAction.STORY_UPDATED)
    assert entry.actor_name == "chief"
    assert "+She joined a start-up." in entry.diff.splitlines()
    assert not Correction.objects.exists()


def test_a_correction_by_edit_is_shown_resolves_its_flags_and_logs_the_difference():
    citation = verified_citation()
    story = published_citing(citation)
    chief = editor()
    citation_decide(citation=citation, editor=chief, decision="rejected", note="Misquoted.")
    flag = CorrectionFlag.objects.get(story=story)
    corrected = save(
        stored(story),
        chief,
        body="Claim 1 is withdrawn.",
        change="correction",
        correction="An earlier version quoted a post that does not say this.",
        resolved_flag_ids=[flag.pk],
    )
    assert corrected.status == StoryStatus.CORRECTED
    [correction] = corrected.corrections.all()
    assert correction.text == "An earlier version quoted a post that does not say this."
    flag.refresh_from_db()
    assert (flag.resolution, flag.correction_id) == (FlagResolution.CORRECTION, correction.pk)
    assert corrected.revisions.get(number=corrected.version).change == "correction"
    [entry] = AuditEntry.objects.filter(action=AuditAction.STORY_CORRECTED)
    assert "+Claim 1 is withdrawn." in entry.diff.splitlines()
    assert any(line.startswith("-Claim 1.") for line in entry.diff.splitlines())


# A new draft with its citations --------------------------------------------------------------


def test_a_new_draft_can_cite_the_citations_picked_for_it():
    author = journalist()
    picked, other = verified_citation(), pending_citation()
    story = story_create(
        author=author, title="Draft", body=f"Murati left.{picked.marker}", citations=[picked]
    )
    assert list(story.citations.all()) == [picked]
    assert stored(story).cited_ids == [picked.pk]
    with pytest.raises(ValidationError) as refused:
        story_create(author=author, title="Other", body=f"Left.{other.marker}", citations=[picked])
    assert "is not attached to this story" in refused.value.message_dict["body"][0]
    assert Story.objects.count() == 1


# Stale saves --------------------------------------------------------------------------------


def test_a_stale_save_tells_who_changed_which_field_and_keeps_the_other_writers_changes():
    first, second = journalist(username="first"), editor(username="second")
    story = story_create(author=first, title="Draft", dek="A dek.", body="Original.")
    stale_copy = stored(story)
    save(story, first, title="Better title", body="First writer's text.")
    mine = {"title": "Draft", "dek": "My dek.", "body": "Second writer's text.", "language": "en"}
    with pytest.raises(StoryConflict) as clash:
        save(stale_copy, second, **mine)
    assert clash.value.fields(mine) == {
        "title": "theirs",
        "dek": "mine",
        "body": "both",
        "language": "same",
    }
    assert clash.value.merged(mine) == {
        "title": "Better title",  # the other writer's change, not put back
        "dek": "My dek.",
        "body": "Second writer's text.",
        "language": "en",
    }

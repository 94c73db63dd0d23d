"""Claims in stories and quotes, checked against the record (stories/claims.py reads them):
loading what the checks compare with, the flags of a story or of the quotes in the
verification queue, and an editor's "checked" mark.

Flags never block saving. An open flag (one with no editor's check) blocks publication:
``publication_blockers`` (stories/services/rules.py) lists each one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.dates import PartialDate
from newsroom.models import AuditAction
from newsroom.permissions import is_editor
from people.models import Organization, Person, RoleChange, Tenure
from stories.claims import ClaimFlag, Context, Departure, Record, Span, check_text
from stories.models import Citation, ClaimCheck, Story


def claim_record(*, person_ids: Iterable[int], organization_ids: Iterable[int]) -> Record:
    """What the checks compare with, for these people and organizations (and every
    organization the people have tenures at): confirmed tenures and departures only, the
    record readers see. Six queries however many."""
    person_ids = set(person_ids)
    tenures = list(Tenure.objects.public().filter(person_id__in=person_ids).select_related("post"))
    organization_ids = set(organization_ids) | {tenure.organization_id for tenure in tenures}
    record = Record()
    for person in Person.objects.filter(pk__in=person_ids).prefetch_related("other_names"):
        record.people[person.pk] = [person.name, *(name.name for name in person.other_names.all())]
    organizations = Organization.objects.filter(pk__in=organization_ids).prefetch_related(
        "other_names"
    )
    for organization in organizations:
        record.organizations[organization.pk] = [
            organization.name,
            *(name.name for name in organization.other_names.all()),
        ]
    record.spans = [
        Span(
            person_id=tenure.person_id,
            organization_id=tenure.organization_id,
            title=tenure.post.title,
            start=tenure.start,
            start_after=tenure.start_after,
            end=tenure.end,
            end_is_bound=tenure.end_is_bound,
            seen=tenure.seen,
        )
        for tenure in tenures
        if tenure.organization_id in record.organizations
    ]
    departures = (
        RoleChange.objects.public()
        .departures()
        .filter(organization_id__in=organization_ids, leaves_organization=True)
        .only("person_id", "organization_id", "effective_date", "effective_precision")
    )
    record.departures = [
        Departure(change.person_id, change.organization_id, change.effective)
        for change in departures
    ]
    return record


def story_day(story: Story) -> datetime.date:
    """The day a story's claims are read on: its first publication, else today."""
    if story.first_published_at:
        return timezone.localdate(story.first_published_at)
    return timezone.localdate()


@dataclass(frozen=True)
class StoryClaim:
    flag: ClaimFlag
    check: ClaimCheck | None

    @property
    def is_open(self) -> bool:
        return self.check is None


def story_claims(story: Story, *, text: str | None = None) -> list[StoryClaim]:
    """The flags of the story's title, dek and body (or of ``text``, the editor's unsaved
    draft), each with the editor's check when it has one."""
    people = set(story.people.values_list("pk", flat=True))
    moves = story.role_changes.values_list("person_id", "organization_id")
    cited = story.citations.values_list("role_change__person_id", "role_change__organization_id")
    organizations = set(story.organizations.values_list("pk", flat=True))
    for person_id, organization_id in [*moves, *cited]:
        if person_id:
            people.add(person_id)
            organizations.add(organization_id)
    record = claim_record(person_ids=people, organization_ids=organizations)
    if text is None:
        text = "\n".join([story.title, story.dek, story.body])
    context = Context(day=story_day(story), organization_ids=tuple(sorted(organizations)))
    flags = _unique(check_text(text, record=record, context=context))
    checks = {check.fingerprint: check for check in ClaimCheck.objects.filter(story=story)}
    return [StoryClaim(flag, checks.get(flag.fingerprint)) for flag in flags]


def _unique(flags: list[ClaimFlag]) -> list[ClaimFlag]:
    seen: dict[str, ClaimFlag] = {}
    for flag in flags:
        seen.setdefault(flag.fingerprint, flag)
    return list(seen.values())


def quote_claims(citations: Iterable[Citation]) -> dict[int, list[ClaimFlag]]:
    """The flags of each citation's quote and translation, by citation id: the speaker is
    the quote's subject unless it names someone, on the day of its source."""
    citations = [citation for citation in citations if citation.statement_id]
    if not citations:
        return {}
    people, organizations = set(), set()
    for citation in citations:
        if citation.statement.speaker_id:
            people.add(citation.statement.speaker_id)
        if citation.role_change_id:
            people.add(citation.role_change.person_id)
            organizations.add(citation.role_change.organization_id)
    record = claim_record(person_ids=people, organization_ids=organizations)
    found = {}
    for citation in citations:
        statement = citation.statement
        published: PartialDate | None = citation.source.published if citation.source_id else None
        context = Context(
            day=published.latest if published else timezone.localdate(),
            speaker_id=statement.speaker_id,
            organization_ids=(citation.role_change.organization_id,)
            if citation.role_change_id
            else (),
        )
        text = "\n".join([statement.quote, statement.translation])
        flags = _unique(check_text(text, record=record, context=context))
        if flags:
            found[citation.pk] = flags
    return found


def claim_check(
    *, story: Story, fingerprint: str, note: str, editor: AbstractBaseUser
) -> ClaimCheck:
    """An editor marks a flagged claim of ``story`` as checked, with a note saying how."""
    if not is_editor(editor):
        raise PermissionDenied(_("Only an editor marks a flagged claim as checked."))
    note = note.strip()
    if not note:
        raise ValidationError(
            {"note": [_("Say how the claim was checked: the note is kept with the story.")]}
        )
    flag = next(
        (claim.flag for claim in story_claims(story) if claim.flag.fingerprint == fingerprint),
        None,
    )
    if flag is None:
        raise ValidationError(
            _("This claim is no longer in the story (it was edited meanwhile): reload the page.")
        )
    with transaction.atomic():
        check, _created = ClaimCheck.objects.update_or_create(
            story=story,
            fingerprint=fingerprint,
            defaults={
                "kind": flag.kind,
                "claim": flag.claim[:300],
                "message": flag.message,
                "note": note,
                "checked_by": editor,
                "checked_at": timezone.now(),
            },
        )
        audit_record(
            action=AuditAction.CLAIM_CHECKED,
            obj=story,
            actor=editor,
            detail=_("Claim checked: “%(claim)s”: %(note)s") % {"claim": flag.claim, "note": note},
        )
    return check

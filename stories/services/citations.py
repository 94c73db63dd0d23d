"""Writes on sources, statements and citations: recording them, and rules 5 and 7 of the design.

- Rule 7: a source is found or created by its canonical URL (stories/canonical.py).
- Rule 5: an edit never takes a fact down. Editing a quote or a source that an editor
  verified is checked, then held for an editor (newsroom.proposed_edits): readers keep the
  verified version, and its citations stay verified, until an editor verifies the edit
  (stories/services/edits.py), which writes it with :func:`statement_apply` or
  :func:`source_apply`. Material nobody verified yet is edited at once.
- The same words from the same speaker in one source are one statement (a unique index holds
  it): :func:`statement_get_or_create` returns the one recorded a moment ago by someone else,
  and :func:`statement_update` refuses an edit that would make a statement a copy of another.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.cache import touches
from newsroom.dates import PartialDate
from newsroom.models import AuditAction
from newsroom.proposed_edits import proposed_edit_hold, proposed_edit_pending
from people.models import Organization, Person, Post, RoleChange, RoleChangeKind
from people.services import (
    NewName,
    dry_run,
    organization_get_or_create,
    person_get_or_create,
    role_change_record,
)
from stories.cache_tags import citation_tags
from stories.canonical import InvalidSourceURL, canonical_url
from stories.jobs import check_source
from stories.models import Citation, CitationDecision, CitationState, Source, SourceKind, Statement
from stories.services.verification import citation_history_fields

# Sources and statements ---------------------------------------------------------------------


def source_get_or_create(
    *,
    url: str,
    title: str = "",
    publisher: str = "",
    kind: str = "",
    published: PartialDate | None = None,
    language: str = "",
    archive_url: str = "",
    archive_date: datetime.date | None = None,
    created_by: AbstractBaseUser | None = None,
) -> tuple[Source, bool]:
    """The source for ``url`` under its canonical form, created when new (rule 7).

    An existing source is reused as it is: details given here only fill fields that are still
    empty, and only while none of its citations is verified, so a source an editor checked is
    never changed behind the editor's back (correcting it goes through :func:`source_update`,
    which holds the edit for an editor).
    """
    try:
        canonical = canonical_url(url)
    except InvalidSourceURL as invalid:
        raise ValidationError({"source_url": [invalid.message]}) from None
    details = {
        "title": title.strip(),
        "publisher": publisher.strip(),
        "kind": kind,
        "language": language.strip(),
        "archive_url": archive_url.strip(),
        "archive_date": archive_date,
    }
    existing = Source.objects.filter(canonical_url=canonical).first()
    if existing is not None:
        checked = Citation.objects.filter(source=existing, state=CitationState.VERIFIED)
        if not checked.exists():
            _fill_blanks(existing, details, published)
        return existing, False
    source = Source(canonical_url=canonical, url_as_entered=url.strip(), created_by=created_by)
    for field, value in details.items():
        if value:
            setattr(source, field, value)
    source.published = published
    # The unique address is left to the database: checked here, a source entered by someone
    # else a moment ago would be refused (away from the field) instead of reused below.
    source.full_clean(exclude=["created_by"], validate_unique=False)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Entered by someone else a moment ago: one document, one source.
        return Source.objects.get(canonical_url=canonical), False
    # First cited: check it and keep a snapshot, in the background. Enqueued in this same
    # transaction (the queue is in the database), so the job exists if and only if the source
    # does.
    check_source.enqueue(source.pk)
    return source, True


def _fill_blanks(source: Source, details: dict, published: PartialDate | None) -> None:
    changed = []
    for field, value in details.items():
        current = getattr(source, field)
        is_blank = not current or (field == "kind" and current == SourceKind.OTHER)
        if value and is_blank and value != current:
            setattr(source, field, value)
            changed.append(field)
    if published and source.published is None:
        source.published = published
        changed += ["published_date", "published_precision", "published_latest"]
    if changed:
        source.full_clean(exclude=["created_by"])
        source.save(update_fields=[*changed, "updated_at"])


def statement_get_or_create(
    *,
    source: Source,
    quote: str,
    context_before: str = "",
    context_after: str = "",
    speaker: Person | None = None,
    language: str = "",
    translation: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Statement:
    """A quote from ``source``; the same words from the same speaker are one statement.

    The database holds the rule (``statement_once_per_source_and_speaker``): when the same
    quote is being recorded by someone else at this very moment, theirs is returned.
    """
    quote = quote.strip()
    if not quote:
        raise ValidationError({"quote": [_("Give the exact words quoted from the source.")]})
    same = _same_statement(source=source, quote=quote, speaker=speaker)
    existing = same.first()
    if existing is not None:
        return existing
    statement = Statement(
        source=source,
        quote=quote,
        context_before=context_before.strip(),
        context_after=context_after.strip(),
        speaker=speaker,
        language=language.strip(),
        translation=translation.strip(),
        created_by=created_by,
    )
    statement.full_clean(exclude=["created_by", "speaker", "source"])
    try:
        with transaction.atomic():
            statement.save()
    except IntegrityError:
        # Recorded by someone else between the look-up and the insert: one statement.
        existing = same.first()
        if existing is None:
            raise
        return existing
    return statement


def _same_statement(
    *,
    source: Source | int,
    quote: str,
    speaker: Person | int | None,
    exclude: Statement | None = None,
):
    # The unique constraint's terms: an unknown speaker (None) is one speaker too.
    same = Statement.objects.filter(source=source, quote=quote, speaker=speaker)
    return same.exclude(pk=exclude.pk) if exclude is not None else same


def _already_recorded(statement: Statement, field: str) -> ValidationError:
    name = Person.objects.filter(pk=statement.speaker_id).values_list("name", flat=True).first()
    speaker = f"from {name}" if name else "with no speaker named"
    return ValidationError(
        {
            field: [
                f"This source already has a statement with these exact words {speaker}: "
                "cite that one instead, or change the words or the speaker."
            ]
        },
        code="unique",
    )


STATEMENT_FIELDS = {
    "quote",
    "context_before",
    "context_after",
    "speaker",
    "language",
    "translation",
}
SOURCE_FIELDS = {
    "title",
    "publisher",
    "kind",
    "published",
    "language",
    "archive_url",
    "archive_date",
}


def is_held(material: Source | Statement) -> bool:
    """Rule 5: an edit of ``material`` waits for an editor once one of its citations is
    verified, and while an earlier edit of it still waits."""
    verified = material.citations.filter(state=CitationState.VERIFIED)
    return verified.exists() or proposed_edit_pending(material) is not None


def _update_or_hold(material: Source | Statement, changes: dict, editor, *, apply, current):
    """Rule 5 for a quote or a source: written at once with ``apply`` while nothing
    verified rests on ``material``; otherwise checked as ``apply`` would write it (undone at
    once: an edit the desk refuses is refused now, not when an editor verifies it) and kept
    for an editor as the difference from the verified version (``current(field)``)."""
    if not is_held(material):
        return apply(material)
    with transaction.atomic():
        differences = {}
        for field, value in changes.items():
            verified = current(field)
            if not _same(field, verified, value):
                differences[field] = (verified, value)
        if differences:
            dry_run(lambda: apply(type(material).objects.get(pk=material.pk)))
        proposed_edit_hold(target=material, changes=differences, proposed_by=editor)
    return material


def _same(field: str, current: object, proposed: object) -> bool:
    if field == "url":
        return _same_address(str(current), str(proposed))
    if isinstance(current, Person) or isinstance(proposed, Person):
        return getattr(current, "pk", current) == getattr(proposed, "pk", proposed)
    return current == proposed


def _same_address(canonical: str, url: str) -> bool:
    try:
        return canonical_url(url) == canonical
    except InvalidSourceURL:
        return False  # refused when the edit is checked, with the reason


def statement_update(
    *, statement: Statement, editor: AbstractBaseUser, **changes: object
) -> Statement:
    """Edit a quote: written at once while none of its citations is verified; otherwise
    checked and held for an editor (rule 5), its verified words staying where readers see
    them. Refused edits raise ``ValidationError``; either way nothing is reopened or flagged."""
    unknown = set(changes) - STATEMENT_FIELDS
    if unknown:
        raise TypeError(f"statement_update() cannot change {', '.join(sorted(unknown))}")
    if isinstance(changes.get("quote"), str):
        changes["quote"] = changes["quote"].strip()
    return _update_or_hold(
        statement,
        changes,
        editor,
        apply=lambda target: statement_apply(statement=target, editor=editor, **changes),
        current=lambda field: getattr(statement, field),
    )


def statement_apply(
    *, statement: Statement, editor: AbstractBaseUser, **changes: object
) -> Statement:
    """Write an edit of a quote: one nobody verified yet, or one an editor verified."""
    if isinstance(changes.get("quote"), str):
        changes["quote"] = changes["quote"].strip()
    with transaction.atomic():
        changed = [field for field, value in changes.items() if getattr(statement, field) != value]
        if not changed:
            return statement
        for field in changed:
            setattr(statement, field, changes[field])
        if not str(statement.quote).strip():
            raise ValidationError({"quote": [_("The quote cannot be empty.")]})
        statement.full_clean(exclude=["created_by", "speaker", "source"])
        # The same words from the same speaker in one source are one statement: an edit may
        # not turn this one into a copy of another (the quote's field names the problem).
        field = "quote" if "quote" in changed else "speaker"
        copies = _same_statement(
            source=statement.source_id,
            quote=statement.quote,
            speaker=statement.speaker_id,
            exclude=statement,
        )
        if {"quote", "speaker"} & set(changed) and copies.exists():
            raise _already_recorded(statement, field)
        try:
            with transaction.atomic():
                statement.save()
        except IntegrityError:
            # The other statement was recorded a moment ago, after the check above.
            if copies.exists():
                raise _already_recorded(statement, field) from None
            raise
        _edited(statement, AuditAction.STATEMENT_EDITED, changed, editor)
    return statement


def source_update(*, source: Source, editor: AbstractBaseUser, **changes: object) -> Source:
    """Edit a source's details (a new ``url`` is canonicalized, and may not be another
    source's address): written at once while none of its citations is verified; otherwise
    checked and held for an editor (rule 5)."""
    unknown = set(changes) - SOURCE_FIELDS - {"url"}
    if unknown:
        raise TypeError(f"source_update() cannot change {', '.join(sorted(unknown))}")
    return _update_or_hold(
        source,
        changes,
        editor,
        apply=lambda target: source_apply(source=target, editor=editor, **changes),
        current=lambda field: source.canonical_url if field == "url" else getattr(source, field),
    )


def source_apply(*, source: Source, editor: AbstractBaseUser, **changes: object) -> Source:
    """Write an edit of a source: one nobody verified yet, or one an editor verified."""
    with transaction.atomic():
        changed = []
        if "url" in changes:
            url = str(changes.pop("url"))
            try:
                canonical = canonical_url(url)
            except InvalidSourceURL as invalid:
                raise ValidationError({"source_url": [invalid.message]}) from None
            if canonical != source.canonical_url:
                other = Source.objects.filter(canonical_url=canonical).exclude(pk=source.pk)
                if other.exists():
                    raise ValidationError(
                        {"source_url": [f"Another source already has this address: {canonical}."]}
                    )
                source.canonical_url = canonical
                source.url_as_entered = url.strip()
                changed.append("address")
        for field, value in changes.items():
            if getattr(source, field) != value:
                setattr(source, field, value)
                changed.append(field)
        if not changed:
            return source
        source.full_clean(exclude=["created_by"])
        source.save()
        _edited(source, AuditAction.SOURCE_EDITED, changed, editor)
    return source


def _edited(material: Source | Statement, action, changed: list[str], editor) -> None:
    """After an edit is written: the audit log. Its citations keep their state (rule 5)."""
    audit_record(
        action=action, obj=material, detail=f"Changed: {', '.join(changed)}.", actor=editor
    )


# Citations ------------------------------------------------------------------------------------


@touches(lambda citation, **kwargs: citation_tags(citation))
def citation_add(
    *,
    role_change: RoleChange,
    source: Source,
    statement: Statement | None = None,
    created_by: AbstractBaseUser | None = None,
) -> Citation:
    """Attach a statement (or a bare source) to a role change, pending an editor's check."""
    if statement is not None and statement.source_id != source.pk:
        raise ValidationError({"quote": [_("The quote must come from the cited source.")]})
    duplicate = Citation.objects.filter(role_change=role_change, source=source)
    duplicate = (
        duplicate.filter(statement=statement)
        if statement
        else duplicate.filter(statement__isnull=True)
    )
    already_cited = ValidationError(
        {
            "quote" if statement else "source_url": [
                "This move already cites "
                + ("this quote from this source." if statement else "this source.")
            ]
        }
    )
    if duplicate.exists():
        raise already_cited
    try:
        with transaction.atomic():
            citation = Citation.objects.create(
                role_change=role_change, source=source, statement=statement, created_by=created_by
            )
            CitationDecision.objects.create(
                **citation_history_fields(
                    citation_id=citation.pk,
                    from_state="",
                    to_state=CitationState.PENDING,
                    actor_id=created_by.pk if created_by is not None else None,
                    at=citation.created_at,
                    note="Recorded; waiting for an editor's check.",
                )
            )
    except IntegrityError:
        # The same citation added a moment ago (a double submit, or two journalists at
        # once): the unique constraint refused this one, and nothing of it was written.
        if duplicate.exists():
            raise already_cited from None
        raise
    return citation


# Recording a move with its citation -----------------------------------------------------------


@dataclass
class MoveWithCitation:
    role_change: RoleChange
    citation: Citation
    role_change_created: bool


def citation_record(
    *,
    role_change: RoleChange | None,
    source_url: str,
    source_title: str = "",
    source_publisher: str = "",
    source_kind: str = "",
    source_published: PartialDate | None = None,
    source_language: str = "",
    quote: str = "",
    context_before: str = "",
    context_after: str = "",
    speaker: Person | NewName | None = None,
    quote_language: str = "",
    translation: str = "",
    recorded_by: AbstractBaseUser | None = None,
    errors: dict[str, list[str]] | None = None,
) -> Citation | None:
    """Find or create the source (rule 7), the speaker and the quote, and cite them for
    ``role_change``, in one transaction.

    Errors are raised together as one ValidationError keyed by field, and nothing is saved;
    with ``errors`` given they are collected there instead (and None is returned), so a
    caller recording a move in its own transaction can report everything at once.
    """
    with transaction.atomic():
        return _citation_record(
            role_change=role_change,
            source_url=source_url,
            source_title=source_title,
            source_publisher=source_publisher,
            source_kind=source_kind,
            source_published=source_published,
            source_language=source_language,
            quote=quote,
            context_before=context_before,
            context_after=context_after,
            speaker=speaker,
            quote_language=quote_language,
            translation=translation,
            recorded_by=recorded_by,
            errors=errors,
        )


def _citation_record(*, role_change, recorded_by, errors, speaker, **details) -> Citation | None:
    collected: dict[str, list[str]] = {} if errors is None else errors
    source = statement = None
    try:
        source, _ = source_get_or_create(
            url=details["source_url"],
            title=details["source_title"],
            publisher=details["source_publisher"],
            kind=details["source_kind"],
            published=details["source_published"],
            language=details["source_language"],
            created_by=recorded_by,
        )
    except ValidationError as invalid:
        _collect(collected, invalid)
    if source is not None and details["quote"].strip():
        try:
            statement = statement_get_or_create(
                source=source,
                quote=details["quote"],
                context_before=details["context_before"],
                context_after=details["context_after"],
                speaker=person_get_or_create(person=speaker) if speaker is not None else None,
                language=details["quote_language"],
                translation=details["translation"],
                created_by=recorded_by,
            )
        except ValidationError as invalid:
            _collect(collected, invalid)
    if collected or role_change is None:
        if errors is None and collected:
            raise ValidationError(collected)
        return None
    return citation_add(
        role_change=role_change, source=source, statement=statement, created_by=recorded_by
    )


def move_record_with_citation(
    *,
    person: Person | NewName,
    organization: Organization | NewName,
    title: str,
    kind: RoleChangeKind | str,
    effective: PartialDate,
    announced: PartialDate | None = None,
    previous_title: str = "",
    leaves_organization: bool = False,
    is_interim: bool = False,
    keeps_other_titles: bool = False,
    reason: str = "",
    recorded_by: AbstractBaseUser | None = None,
    **citation: object,
) -> MoveWithCitation:
    """Record a role change with the quote and source behind it, in one transaction.

    ``person`` and ``organization`` are on record, or new names created here (as is a new
    speaker). ``citation`` takes the keyword arguments of :func:`citation_record`. The same move
    already on record (same person, title, kind and date) gets the new citation instead of
    a duplicate. Every error from every step is collected so a form can show each beside its
    field; on any error nothing is saved.
    """
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        role_change, created = _find_or_record_move(
            errors,
            person=person_get_or_create(person=person),
            organization=organization_get_or_create(organization=organization),
            title=title,
            kind=RoleChangeKind(kind),
            effective=effective,
            announced=announced,
            previous_title=previous_title,
            leaves_organization=leaves_organization,
            is_interim=is_interim,
            keeps_other_titles=keeps_other_titles,
            reason=reason,
            recorded_by=recorded_by,
        )
        cited = citation_record(
            role_change=role_change, recorded_by=recorded_by, errors=errors, **citation
        )
        if errors:
            raise ValidationError(errors)
    return MoveWithCitation(role_change, cited, created)


def _find_or_record_move(errors: dict, **arguments) -> tuple[RoleChange | None, bool]:
    effective: PartialDate = arguments["effective"]
    titled = Post.objects.filter(
        organization=arguments["organization"],
        title__folded_exact=" ".join(arguments["title"].split()),
    )
    existing = (
        RoleChange.objects.same_move(
            person_id=arguments["person"].pk,
            post=titled,
            kind=arguments["kind"],
            effective=effective,
        )
        .select_related("person", "organization", "post")
        .first()
    )
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return role_change_record(**arguments), True
    except ValidationError as invalid:
        _collect(errors, invalid)
        return None, False


def _collect(errors: dict[str, list[str]], invalid: ValidationError) -> None:
    if hasattr(invalid, "error_dict"):
        for field, field_errors in invalid.message_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    else:
        errors.setdefault("__all__", []).extend(invalid.messages)

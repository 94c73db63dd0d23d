"""Writes on people, organizations, posts and role changes.

Every view, admin action, management command and import records a move through
:func:`role_change_record` (and edits it through :func:`role_change_update`), so rule 2
(tenures), rule 3 (public confirmation) and rule 5 (an edit of a confirmed move waits for an
editor) are enforced in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.cache import touches
from newsroom.dates import PartialDate
from newsroom.models import AuditAction
from newsroom.proposed_edits import (
    proposed_edit_hold,
    proposed_edit_pending,
    proposed_edit_values,
)
from people.cache_tags import move_tags, person_tags
from people.checks import before_founding
from people.models import (
    Organization,
    OrganizationName,
    Person,
    PersonName,
    Post,
    Rank,
    RoleChange,
    RoleChangeKind,
)
from people.tenures import TenureConflict, rebuild_tenures


@dataclass(frozen=True)
class OtherName:
    name: str
    language: str = ""
    note: str = ""


@dataclass(frozen=True)
class NewName:
    """A person or organization the desk does not have yet, to be created under ``name``.

    ``confirmed``: the journalist said it is someone new although a name on record may match;
    otherwise a name matching exactly one person (or organization) when it is created, such as
    someone created a moment ago in the same save, is that one.
    """

    name: str
    confirmed: bool = False


def person_get_or_create(*, person: Person | NewName) -> Person:
    """The person a desk form chose: one on record, or a new one created now."""
    return _get_or_create(person, Person, person_create)


def organization_get_or_create(*, organization: Organization | NewName) -> Organization:
    """The organization a desk form chose: one on record, or a new one created now."""
    return _get_or_create(organization, Organization, organization_create)


def _get_or_create(choice, model, create):
    if not isinstance(choice, NewName):
        return choice
    if not choice.confirmed:
        match = list(model.objects.named_exactly(choice.name)[:2])
        if len(match) == 1:
            return match[0]
    return create(name=choice.name)


def person_create(
    *,
    name: str,
    other_names: Iterable[OtherName] = (),
    sort_name: str = "",
    bio: str = "",
    wikidata_id: str = "",
    x_handle: str = "",
    homepage: str = "",
) -> Person:
    """Create a person with their names in other scripts and languages."""
    with transaction.atomic():
        person = Person(
            name=name,
            sort_name=sort_name,
            bio=bio,
            wikidata_id=wikidata_id,
            x_handle=x_handle.lstrip("@"),
            homepage=homepage,
        )
        person.full_clean(exclude=["slug"])
        person.save()
        person_add_names(person=person, names=other_names)
    return person


@touches(lambda _, *, person, **kwargs: person_tags(person))
def person_add_names(*, person: Person, names: Iterable[OtherName]) -> None:
    """Add other names, skipping any the person already has (ignoring case)."""
    known = {person.name.casefold()} | {
        name.casefold() for name in person.other_names.values_list("name", flat=True)
    }
    for other in names:
        cleaned = " ".join(other.name.split())
        if not cleaned or cleaned.casefold() in known:
            continue
        entry = PersonName(person=person, name=cleaned, language=other.language, note=other.note)
        entry.full_clean()
        entry.save()
        known.add(cleaned.casefold())


def organization_create(
    *,
    name: str,
    other_names: Iterable[OtherName] = (),
    kind: str = "",
    description: str = "",
    homepage: str = "",
    parent: Organization | None = None,
    founded: PartialDate | None = None,
) -> Organization:
    """Create an organization with its other names and, when known, its founding date."""
    with transaction.atomic():
        organization = Organization(
            name=name, description=description, homepage=homepage, parent=parent
        )
        organization.founded = founded
        if kind:
            organization.kind = kind
        organization.full_clean(exclude=["slug"])
        organization.save()
        known = {organization.name.casefold()}
        for other in other_names:
            cleaned = " ".join(other.name.split())
            if cleaned and cleaned.casefold() not in known:
                entry = OrganizationName(
                    organization=organization, name=cleaned, language=other.language
                )
                entry.full_clean()
                entry.save()
                known.add(cleaned.casefold())
    return organization


def post_get_or_create(
    *,
    organization: Organization,
    title: str,
    rank: Rank | None = None,
    is_leadership: bool | None = None,
) -> Post:
    """The organization's post with this title (ignoring case), created when new.

    A new post's rank is guessed from its title and it counts as leadership when the rank
    is above "other"; both can be corrected on the post later. An existing post keeps its
    rank and leadership flag unless they are given.
    """
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the title, e.g. “Chief Technology Officer”.")})
    post = Post.objects.filter(organization=organization, title__folded_exact=title).first()
    if post is None:
        guessed = rank if rank is not None else Rank.guess(title)
        post = Post(
            organization=organization,
            title=title,
            rank=guessed,
            is_leadership=is_leadership if is_leadership is not None else guessed != Rank.OTHER,
        )
        post.full_clean()
        try:
            with transaction.atomic():
                post.save()
        except IntegrityError:
            # Someone created the same post a moment ago: use theirs.
            return Post.objects.get(organization=organization, title__folded_exact=title)
        return post
    changed = []
    if rank is not None and post.rank != rank:
        post.rank = rank
        changed.append("rank")
    if is_leadership is not None and post.is_leadership != is_leadership:
        post.is_leadership = is_leadership
        changed.append("is_leadership")
    if changed:
        post.save(update_fields=changed)
    return post


@touches(lambda change, **kwargs: move_tags(change.pk))
def role_change_record(
    *,
    person: Person,
    organization: Organization,
    title: str,
    kind: RoleChangeKind | str,
    effective: PartialDate,
    announced: PartialDate | None = None,
    previous_title: str = "",
    leaves_organization: bool = False,
    is_interim: bool = False,
    keeps_other_titles: bool = False,
    reason: str = "",
    is_public: bool = False,
    recorded_by: AbstractBaseUser | None = None,
) -> RoleChange:
    """Record a dated role change and update the person's tenures, atomically.

    Rule 2 is applied by people.tenures: a refused change (the same post held twice at
    once, an end before a start) raises ``ValidationError`` naming the person, post and
    dates, and nothing is saved. ``is_public`` is for the demo loader and the admin;
    elsewhere confirmation follows verified citations.
    """
    kind = RoleChangeKind(kind)
    with transaction.atomic():
        post = post_get_or_create(organization=organization, title=title)
        previous_post = None
        if previous_title.strip():
            previous_post = post_get_or_create(organization=organization, title=previous_title)
        change = RoleChange(
            person=person,
            organization=organization,
            post=post,
            kind=kind,
            previous_post=previous_post,
            leaves_organization=leaves_organization,
            is_interim=is_interim,
            keeps_other_titles=keeps_other_titles,
            reason=reason.strip(),
            is_public=is_public,
            recorded_by=recorded_by,
        )
        change.effective = effective
        change.announced = announced
        _validate(change)
        change.save()
        _rebuild(change)
        audit_record(action=AuditAction.ROLE_CHANGE_RECORDED, obj=change, actor=recorded_by)
    return change


@touches(lambda _, *, role_change, **kwargs: move_tags(role_change.pk), before=True)
def role_change_update(
    *, role_change: RoleChange, proposed_by: AbstractBaseUser | None = None, **changes: object
) -> RoleChange:
    """Edit a recorded role change (the admin's form).

    Rule 5: the edit of a confirmed move (or of one whose earlier edit still waits) is
    checked now, as :func:`role_change_apply` would write it, and then held for an editor
    (newsroom.proposed_edits): readers keep the confirmed version, tenures included, until an
    editor verifies the edit, which writes it with :func:`role_change_apply`. ``is_public``
    is an editor's confirmation rather than an edit, and is set at once. An unconfirmed move
    is edited at once. Refused edits raise ``ValidationError`` and change nothing.
    """
    if not role_change.is_public and proposed_edit_pending(role_change) is None:
        return role_change_apply(role_change=role_change, **changes)
    is_public = changes.pop("is_public", None)
    unknown = set(changes) - set(_current_values(role_change))
    if unknown:
        raise TypeError(f"role_change_update() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        differences = _differences(role_change, changes)
        if differences:
            stored = RoleChange.objects.select_related(
                "person", "organization", "post", "previous_post"
            ).get(pk=role_change.pk)
            dry_run(lambda: role_change_apply(role_change=stored, **changes))
        proposed_edit_hold(target=role_change, changes=differences, proposed_by=proposed_by)
        if is_public is not None:
            role_change_set_public(role_change=role_change, is_public=bool(is_public))
    return role_change


def _current_values(role_change: RoleChange) -> dict[str, object]:
    """The move's editable values as :func:`role_change_update` takes them."""
    return {
        "person": role_change.person,
        "organization": role_change.organization,
        "title": role_change.post.title,
        "previous_title": role_change.previous_post.title if role_change.previous_post else "",
        "kind": role_change.kind,
        "effective": role_change.effective,
        "announced": role_change.announced,
        "leaves_organization": role_change.leaves_organization,
        "is_interim": role_change.is_interim,
        "keeps_other_titles": role_change.keeps_other_titles,
        "reason": role_change.reason,
    }


def role_change_values(role_change: RoleChange) -> dict[str, object]:
    """What a form editing the move starts from: the edit waiting for an editor, or the
    move as confirmed."""
    values = _current_values(role_change)
    pending = proposed_edit_pending(role_change)
    if pending is not None:
        values.update(proposed_edit_values(pending))
    return values


def _same(field: str, current: object, proposed: object) -> bool:
    if isinstance(current, models.Model) or isinstance(proposed, models.Model):
        return getattr(current, "pk", current) == getattr(proposed, "pk", proposed)
    if field in ("title", "previous_title", "reason"):
        # Posts are found by title ignoring case and spacing (post_get_or_create).
        fold = " ".join(str(proposed or "").split()).casefold()
        return " ".join(str(current or "").split()).casefold() == fold
    return str(current) == str(proposed) if field == "kind" else current == proposed


def _differences(role_change: RoleChange, changes: dict) -> dict[str, tuple[object, object]]:
    current = _current_values(role_change)
    return {
        field: (current[field], value)
        for field, value in changes.items()
        if not _same(field, current[field], value)
    }


class _Rollback(Exception):
    pass


def dry_run(action) -> None:
    """Run a write and undo it: what the write would refuse comes back as ValidationError,
    and nothing it wrote sticks (the forms ask the services this way, and an edit held for
    an editor is checked this way before it is kept)."""
    try:
        with transaction.atomic():
            action()
            raise _Rollback
    except _Rollback:
        pass


@touches(lambda _, *, role_change, **kwargs: move_tags(role_change.pk), before=True)
def role_change_apply(*, role_change: RoleChange, **changes: object) -> RoleChange:
    """Write an edit of a role change: an unconfirmed move's, or one an editor verified.
    Tenures are rebuilt for every person/organization touched.

    Accepts the keyword arguments of :func:`role_change_record` (``title`` and
    ``previous_title`` name posts). Refused edits raise ``ValidationError`` and change nothing.
    """
    before_edit = str(role_change)
    with transaction.atomic():
        before = (role_change.person_id, role_change.organization_id)
        organization = changes.pop("organization", role_change.organization)
        role_change.organization = organization
        if "title" in changes:
            role_change.post = post_get_or_create(
                organization=organization, title=str(changes.pop("title"))
            )
        elif role_change.post.organization_id != organization.pk:
            role_change.post = post_get_or_create(
                organization=organization, title=role_change.post.title
            )
        if "previous_title" in changes:
            previous_title = str(changes.pop("previous_title") or "")
            role_change.previous_post = (
                post_get_or_create(organization=organization, title=previous_title)
                if previous_title.strip()
                else None
            )
        for field, value in changes.items():
            if field not in _EDITABLE:
                raise TypeError(f"role_change_apply() cannot change {field!r}")
            setattr(role_change, field, value)
        if "kind" in changes:
            role_change.kind = RoleChangeKind(role_change.kind)
        _validate(role_change)
        role_change.save()
        _rebuild(role_change)
        if before != (role_change.person_id, role_change.organization_id):
            _rebuild_pair(*before, role_change)
        audit_record(
            action=AuditAction.ROLE_CHANGE_EDITED, obj=role_change, detail=f"Was: {before_edit}"
        )
    return role_change


_EDITABLE = {
    "person",
    "kind",
    "effective",
    "announced",
    "leaves_organization",
    "is_interim",
    "keeps_other_titles",
    "reason",
    "is_public",
}


@touches(lambda _, *, role_change, **kwargs: move_tags(role_change.pk), before=True)
def role_change_delete(*, role_change: RoleChange) -> None:
    """Delete a role change and rebuild the tenures it shaped."""
    with transaction.atomic():
        pair = (role_change.person_id, role_change.organization_id)
        audit_record(action=AuditAction.ROLE_CHANGE_DELETED, obj=role_change)
        role_change.delete()
        _rebuild_pair(*pair, role_change)


@touches(lambda _, *, role_change, **kwargs: move_tags(role_change.pk))
def role_change_set_public(*, role_change: RoleChange, is_public: bool) -> RoleChange:
    """Confirm a role change for readers, or withdraw the confirmation (rule 3)."""
    if role_change.is_public == is_public:
        return role_change
    with transaction.atomic():
        role_change.is_public = is_public
        role_change.save(update_fields=["is_public", "updated_at"])
        _rebuild(role_change)
    return role_change


def _validate(change: RoleChange) -> None:
    errors: dict[str, list[str]] = {}
    if change.kind == RoleChangeKind.LEFT and change.previous_post_id:
        errors.setdefault("previous_title", []).append(
            "A departure ends the title it names; a previous title only goes with joined, "
            "appointed or promoted."
        )
    if change.kind == RoleChangeKind.HELD and change.previous_post_id:
        errors.setdefault("previous_title", []).append(
            "“Was” records the person in the post on that date, not a change from another "
            "title; leave the previous title empty, or record the promotion itself."
        )
    if change.kind != RoleChangeKind.LEFT and change.leaves_organization:
        errors.setdefault("leaves_organization", []).append(
            "Only a departure can leave the organization."
        )
    if change.previous_post_id and change.previous_post_id == change.post_id:
        errors.setdefault("previous_title", []).append(
            "The previous title is the same as the new one; leave it empty or name the title "
            "the person held before."
        )
    too_early = before_founding(change.organization, change.effective)
    if too_early:
        errors.setdefault("effective", []).append(too_early)
    duplicate = RoleChange.objects.same_move(
        person_id=change.person_id,
        post=change.post,
        kind=change.kind,
        effective=change.effective,
    ).exclude(pk=change.pk)
    if duplicate.exists():
        errors.setdefault("effective", []).append(
            f"This move is already recorded: {change.person} {change.get_kind_display()} "
            f"{change.post.title} at {change.organization} on {change.effective.display()}."
        )
    if errors:
        raise ValidationError(errors)
    change.full_clean(exclude=["person", "organization", "post", "previous_post", "recorded_by"])


def _lock_person(person_id: int) -> None:
    # Two moves of the same person recorded at once would each rebuild the same tenures;
    # on PostgreSQL the row lock makes the second wait for the first.
    Person.objects.select_for_update().filter(pk=person_id).exists()


def _rebuild(change: RoleChange) -> None:
    _rebuild_pair(change.person_id, change.organization_id, change)


def _rebuild_pair(person_id: int, organization_id: int, change: RoleChange) -> None:
    _lock_person(person_id)
    try:
        rebuild_tenures(person_id=person_id, organization_id=organization_id)
    except TenureConflict as conflict:
        raise ValidationError({"effective": [conflict.message]}) from None

"""Desk forms: record a move with its citation, add a citation, decide a citation or an edit
of verified material."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from newsroom.forms import PartialDateField, parse_id
from newsroom.models import ProposedEditState
from people.checks import (
    date_warnings,
    similar_organizations,
    similar_people,
    title_warnings,
)
from people.models import KIND_FORM_CHOICES, Organization, Person, RoleChange
from people.services import NewName
from stories.canonical import InvalidSourceURL, canonical_url
from stories.models import Citation, CitationState, Source, SourceKind, Statement
from stories.services import MoveWithCitation, citation_record, move_record_with_citation

NEW = "new"
LANGUAGE_HELP = _("A language tag: en, ja, zh-Hans…")


def resolve_entity(
    queryset: models.QuerySet, name: str, choice: str, *, noun: str, required: bool
) -> models.Model | NewName | None:
    """Turn a typed name and an optional picked option into one person or organization on
    record, or a new name for the service to create.

    The picked option (from the live suggestions, or from the list shown after an ambiguous
    name) wins. Without one, a name matching exactly one existing name or other name is that
    one, a name matching none is new, and a name matching several must be picked.
    """
    name = " ".join(name.split())
    if choice and choice != NEW:
        picked = queryset.filter(pk=pk).first() if (pk := parse_id(choice)) else None
        if picked is None:
            raise ValidationError(
                _("The person you picked no longer exists; pick again.")
                if noun == "person"
                else _("The organization you picked no longer exists; pick again.")
            )
        return picked
    if not name:
        if required:
            raise ValidationError(
                _("Give the person's name.")
                if noun == "person"
                else _("Give the organization's name.")
            )
        return None
    if choice == NEW:
        return NewName(name, confirmed=True)
    matches = list(queryset.named_exactly(name)[:2])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        several = (
            _("Several people are called “%(name)s”: pick one below, or “new” for another one.")
            if noun == "person"
            else _(
                "Several organizations are called “%(name)s”: pick one below, "
                "or “new” for another one."
            )
        )
        raise ValidationError(several % {"name": name}, code="ambiguous")
    return NewName(name)


def entity_options(queryset: models.QuerySet, name: str, limit: int = 8) -> list[models.Model]:
    """Suggestions for a typed name: anyone whose name or other name contains it."""
    name = " ".join(name.split())
    if not name:
        return []
    return list(queryset.matching(name).prefetch_related("other_names")[:limit])


class ServiceErrorsMixin:
    """Show a service's ValidationError beside the fields it names."""

    field_aliases: dict[str, str] = {}

    def add_service_errors(self, refused: ValidationError) -> None:
        if not hasattr(refused, "error_dict"):
            self.add_error(None, refused)
            return
        for field, errors in refused.message_dict.items():
            target = self.field_aliases.get(field, field)
            self.add_error(target if target in self.fields else None, errors)


class CitationFields(forms.Form):
    """The source and quote behind a claim (shared by both desk forms)."""

    source_url = forms.CharField(
        label=_("Source URL"),
        max_length=2100,
        help_text=_("The full address of the post, release, memo, filing or article."),
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    source_title = forms.CharField(label=_("Source title"), max_length=300, required=False)
    source_publisher = forms.CharField(label=_("Publisher or site"), max_length=200, required=False)
    source_kind = forms.ChoiceField(
        label=_("Kind of source"),
        choices=SourceKind.choices,
        initial=SourceKind.POST,
        required=False,
    )
    source_published = PartialDateField(label=_("Published"), required=False)
    source_language = forms.CharField(
        label=_("Source language"), max_length=35, required=False, help_text=LANGUAGE_HELP
    )
    quote = forms.CharField(
        label=_("Quote"),
        required=False,
        # The model's limit, with its message; no maxlength attribute, which would cut a
        # pasted quote short without a word.
        validators=Statement._meta.get_field("quote").validators,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The exact words, as the source has them. Leave empty to cite the source alone."
        ),
    )
    context_before = forms.CharField(
        label=_("Text just before the quote"), max_length=500, required=False
    )
    context_after = forms.CharField(
        label=_("Text just after the quote"), max_length=500, required=False
    )
    speaker_name = forms.CharField(label=_("Speaker"), max_length=200, required=False)
    quote_language = forms.CharField(
        label=_("Quote language"), max_length=35, required=False, help_text=LANGUAGE_HELP
    )
    translation = forms.CharField(
        label=_("Translation"),
        required=False,
        validators=Statement._meta.get_field("translation").validators,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_source_url(self) -> str:
        # Checked here too, so a bad link is reported with every other error at once.
        url = self.cleaned_data["source_url"]
        try:
            canonical_url(url)
        except InvalidSourceURL as invalid:
            raise ValidationError(invalid.message, code="invalid") from None
        return url

    def clean_speaker_name(self) -> str:
        return " ".join(self.cleaned_data["speaker_name"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            cleaned["speaker"] = resolve_entity(
                Person.objects.all(),
                cleaned.get("speaker_name", ""),
                self.data.get(self.add_prefix("speaker_choice"), ""),
                noun="person",
                required=False,
            )
        except ValidationError as invalid:
            self.add_error("speaker_name", invalid)
        if cleaned.get("speaker") and not cleaned.get("quote", "").strip():
            self.add_error("quote", "A speaker goes with a quote: give the quote, or no speaker.")
        return cleaned

    def citation_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "source_url": data["source_url"],
            "source_title": data.get("source_title", ""),
            "source_publisher": data.get("source_publisher", ""),
            "source_kind": data.get("source_kind", ""),
            "source_published": data.get("source_published"),
            "source_language": data.get("source_language", ""),
            "quote": data.get("quote", ""),
            "context_before": data.get("context_before", ""),
            "context_after": data.get("context_after", ""),
            "speaker": data.get("speaker"),
            "quote_language": data.get("quote_language", ""),
            "translation": data.get("translation", ""),
        }

    def source_details_not_applied(self, source: Source) -> list[str]:
        """Labels of the source details given here that the reused ``source`` does not have.

        An existing source is reused as it is (never edited behind an editor's back), so the
        journalist is told which of their details were left out.
        """
        data = self.cleaned_data
        given = {
            "source_title": (data.get("source_title", "").strip(), source.title),
            "source_publisher": (data.get("source_publisher", "").strip(), source.publisher),
            "source_language": (data.get("source_language", "").strip(), source.language),
            "source_published": (data.get("source_published"), source.published),
        }
        return [
            str(self.fields[field].label).lower()
            for field, (value, stored) in given.items()
            if value and value != stored
        ]


class RecordMoveForm(ServiceErrorsMixin, CitationFields):
    """Record a role change together with its quote and source, all or nothing."""

    person_name = forms.CharField(label=_("Person"), max_length=200)
    organization_name = forms.CharField(label=_("Organization"), max_length=200)
    kind = forms.ChoiceField(label=_("What happened"), choices=KIND_FORM_CHOICES)
    title = forms.CharField(
        label=pgettext_lazy("a job title", "Title"),
        max_length=200,
        help_text=_(
            "The title started, held or, for a departure, ended: “Chief Technology Officer”."
        ),
    )
    previous_title = forms.CharField(
        label=_("Previous title"),
        max_length=200,
        required=False,
        help_text=_("Joined, appointed or promoted: a title that ends the same day."),
    )
    leaves_organization = forms.BooleanField(
        label=_("Leaves the organization (every title held there ends)"), required=False
    )
    is_interim = forms.BooleanField(label=_("Interim"), required=False)
    keeps_other_titles = forms.BooleanField(
        label=_("A second post held at once (the titles already held there go on)"),
        required=False,
    )
    title_resolution = forms.ChoiceField(
        label=_("The title is close to a post the person holds"),
        required=False,
        choices=[
            ("", _("Not answered")),
            ("same", _("The same post under another name: record the post held")),
            ("ends", _("A new post that ends the one held")),
            ("both", _("A second post held at once")),
        ],
        widget=forms.RadioSelect,
    )
    confirm_warnings = forms.BooleanField(
        label=_("I checked the warnings above: record it as entered"), required=False
    )
    effective = PartialDateField(label=_("Effective date"))
    announced = PartialDateField(label=_("Announced date"), required=False)
    reason = forms.CharField(
        label=_("Reason for leaving"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = [
        "person_name",
        "organization_name",
        "kind",
        "title",
        "previous_title",
        "leaves_organization",
        "is_interim",
        "keeps_other_titles",
        "effective",
        "announced",
        "reason",
        "title_resolution",
        "confirm_warnings",
    ]
    field_aliases = {"person": "person_name", "organization": "organization_name"}

    def __init__(self, *args, today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # What the checks at entry found (people/checks.py), for the template.
        self.similar: dict[str, list] = {}
        self.title_conflicts: list = []
        self.warnings: list[str] = []

    def clean(self) -> dict:
        cleaned = super().clean()
        for field, queryset, noun in (
            ("person", Person.objects.all(), "person"),
            ("organization", Organization.objects.all(), "organization"),
        ):
            try:
                cleaned[field] = resolve_entity(
                    queryset,
                    cleaned.get(f"{field}_name", ""),
                    self.data.get(self.add_prefix(f"{field}_choice"), ""),
                    noun=noun,
                    required=True,
                )
            except ValidationError as invalid:
                self.add_error(f"{field}_name", invalid)
        self._check_names(cleaned)
        self._check_title(cleaned)
        self._check_warnings(cleaned)
        return cleaned

    def _check_names(self, cleaned: dict) -> None:
        """A new name close to one on record: offer that one first; creating a new one takes
        an explicit "this is someone else" (the "new" choice)."""
        for field, find, noun in (
            ("person", similar_people, _("person")),
            ("organization", similar_organizations, _("organization")),
        ):
            entered = cleaned.get(field)
            if not isinstance(entered, NewName) or entered.confirmed:
                continue
            candidates = find(entered.name)
            if not candidates:
                continue
            self.similar[field] = candidates
            names = pgettext("list separator", ", ").join(
                candidate.name + (f" ({candidate.also})" if candidate.also else "")
                for candidate in candidates
            )
            self.add_error(
                f"{field}_name",
                ValidationError(
                    _(
                        "Possibly the same %(noun)s as %(names)s, already on record: pick them "
                        "below, or “this is someone else” to create a new %(noun)s."
                    )
                    % {"noun": noun, "names": names},
                    code="possibly_same",
                ),
            )

    def _check_title(self, cleaned: dict) -> None:
        """Conflicting titles and one holder at a time, with what the journalist chose."""
        person, organization = cleaned.get("person"), cleaned.get("organization")
        if isinstance(organization, NewName) or organization is None:
            return
        found = title_warnings(
            person=None if isinstance(person, NewName) else person,
            organization=organization,
            title=cleaned.get("title", ""),
            kind=cleaned.get("kind") or "joined",
            effective=cleaned.get("effective"),
            previous_title=cleaned.get("previous_title", ""),
        )
        self.warnings.extend(found.message for found in found if found.kind == "one_holder")
        conflicts = [warning for warning in found if warning.kind == "conflict"]
        if not conflicts or cleaned.get("keeps_other_titles"):
            return
        held = conflicts[0].tenure.post.title
        resolution = cleaned.get("title_resolution")
        if resolution == "same":
            cleaned["title"] = held
            cleaned["kind"] = "held"
        elif resolution == "ends":
            cleaned["previous_title"] = held
        elif resolution == "both":
            cleaned["keeps_other_titles"] = True
        else:
            self.title_conflicts = conflicts
            for conflict in conflicts:
                self.add_error("title", ValidationError(conflict.message, code="conflict"))

    def _check_warnings(self, cleaned: dict) -> None:
        self.warnings.extend(date_warnings(cleaned.get("effective"), today=self.today))
        if self.warnings and not cleaned.get("confirm_warnings"):
            for warning in self.warnings:
                self.add_error(None, ValidationError(warning, code="warning"))

    def save(self, *, recorded_by) -> MoveWithCitation | None:
        """Hand the cleaned values to the service: everything is written, or nothing, with
        every error added to the form."""
        data = self.cleaned_data
        try:
            return move_record_with_citation(
                person=data["person"],
                organization=data["organization"],
                title=data["title"],
                kind=data["kind"],
                effective=data["effective"],
                announced=data.get("announced"),
                previous_title=data.get("previous_title", ""),
                leaves_organization=data.get("leaves_organization", False),
                is_interim=data.get("is_interim", False),
                keeps_other_titles=data.get("keeps_other_titles", False),
                reason=data.get("reason", ""),
                recorded_by=recorded_by,
                **self.citation_arguments(),
            )
        except ValidationError as refused:
            self.add_service_errors(refused)
            return None


class AddCitationForm(ServiceErrorsMixin, CitationFields):
    """Another citation for a move already on record."""

    def save(self, *, role_change: RoleChange, recorded_by) -> Citation | None:
        try:
            return citation_record(
                role_change=role_change, recorded_by=recorded_by, **self.citation_arguments()
            )
        except ValidationError as refused:
            self.add_service_errors(refused)
            return None


class DecisionForm(forms.Form):
    """An editor's decision on a citation. ``seen_state`` detects a decision made meanwhile."""

    decision = forms.ChoiceField(
        choices=[
            (CitationState.VERIFIED, _("Verify")),
            (CitationState.DISPUTED, _("Dispute")),
            (CitationState.REJECTED, _("Reject")),
        ]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to dispute or reject: the journalist reads it."),
    )
    seen_state = forms.ChoiceField(choices=CitationState.choices, widget=forms.HiddenInput)

    def clean(self) -> dict:
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if (
            decision in (CitationState.DISPUTED, CitationState.REJECTED)
            and not cleaned.get("note", "").strip()
        ):
            self.add_error(
                "note",
                _("Say why you dispute it.")
                if decision == CitationState.DISPUTED
                else _("Say why you reject it."),
            )
        return cleaned


class EditDecisionForm(forms.Form):
    """An editor's decision on an edit of verified material. ``version`` is the version of
    the edit the editor read (a replaced edit is not decided blind)."""

    decision = forms.ChoiceField(
        choices=[
            (ProposedEditState.VERIFIED, _("Verify the edit")),
            (ProposedEditState.REJECTED, _("Reject the edit")),
        ]
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject: whoever proposed the edit reads it."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("decision") == ProposedEditState.REJECTED
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", _("Say why you reject the edit."))
        return cleaned


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class ScheduleForm(forms.Form):
    """When to publish a story: a date and time, read in the time zone chosen beside it."""

    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)

    def clean(self) -> dict:
        cleaned = super().clean()
        moment, zone = cleaned.get("publish_at"), cleaned.get("time_zone")
        if moment is not None and zone:
            # The field read the time in the site's time zone; it was meant in `zone`.
            naive = timezone.make_naive(moment) if timezone.is_aware(moment) else moment
            cleaned["publish_at"] = naive.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        return cleaned

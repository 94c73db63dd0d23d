"""The journalist's desk: home, recording moves with their citations, editing sources."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Count, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from newsroom.forms import PartialDateField
from newsroom.permissions import is_editor
from newsroom.proposed_edits import proposed_edit_pending, proposed_edit_values
from people.models import Organization, Person, RoleChange
from stories.canonical import InvalidSourceURL, canonical_url
from stories.forms import AddCitationForm, CitationFields, RecordMoveForm, entity_options
from stories.models import (
    PUBLIC_STATUSES,
    Citation,
    CitationState,
    CorrectionFlag,
    Source,
    SourceKind,
    Statement,
    Story,
    StoryStatus,
)
from stories.permissions import can_edit_cited_material
from stories.services import is_held, source_update, statement_update
from stories.views.access import desk_member_required
from stories.views.edits import edits_of

LOOKUPS = {
    "person": (Person, "person"),
    "organization": (Organization, "organization"),
    "speaker": (Person, "speaker"),
}


@require_GET
@desk_member_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """My drafts, my published stories, my pending citations, and what editors disputed or
    rejected, with notes."""
    mine = Citation.objects.filter(created_by=request.user).for_display()
    editor = is_editor(request.user)
    context = {
        "drafts": list(
            Story.objects.by_author(request.user)
            .filter(status__in=[StoryStatus.DRAFT, StoryStatus.IN_REVIEW])
            .order_by("-updated_at")[:50]
        ),
        "published": list(
            Story.objects.by_author(request.user)
            .filter(status__in=[*PUBLIC_STATUSES, StoryStatus.WITHDRAWN])
            .newest_first()[:50]
        ),
        # None for journalists: the template offers the editors' screens by these.
        **(_editor_counts() if editor else dict.fromkeys(EDITOR_COUNTS)),
        "pending": list(mine.filter(state=CitationState.PENDING).order_by("created_at")[:50]),
        "sent_back": list(
            mine.filter(state__in=[CitationState.DISPUTED, CitationState.REJECTED]).order_by(
                "-decided_at"
            )[:50]
        ),
    }
    return render(request, "desk/desk_home.html", context)


EDITOR_COUNTS = ("review_size", "flag_count", "queue_size")


def _editor_counts() -> dict[str, int]:
    """Stories in review, open correction flags and pending citations: three counts in one
    query (each on its own index), so the desk stays within its query budget."""
    parts = {
        "review_size": Story.objects.filter(status=StoryStatus.IN_REVIEW),
        "flag_count": CorrectionFlag.objects.filter(resolved_at__isnull=True),
        "queue_size": Citation.objects.pending(),
    }
    counted = [
        queryset.order_by()
        .annotate(kind=Value(name, output_field=CharField()))
        .values("kind")
        .annotate(total=Count("pk"))
        .values("kind", "total")
        .order_by()
        for name, queryset in parts.items()
    ]
    rows = counted[0].union(*counted[1:], all=True).order_by()
    return dict.fromkeys(parts, 0) | {row["kind"]: row["total"] for row in rows}


@require_http_methods(["GET", "POST"])
@desk_member_required
def move_record(request: HttpRequest) -> HttpResponse:
    """Record a move with its quote and source: saved together, or not at all."""
    form = RecordMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = form.save(recorded_by=request.user)
        if result is not None:
            if result.role_change_created:
                messages.success(request, _("Move recorded. Its citation waits for an editor."))
            else:
                messages.success(
                    request, _("This move was already on record: your citation was added to it.")
                )
            _tell_if_source_reused_as_is(request, form, result.citation.source)
            return redirect("stories:move-detail", pk=result.role_change.pk)
    return render(request, "desk/move_record.html", {"form": form, **_choices(request, form)})


def _tell_if_source_reused_as_is(
    request: HttpRequest, form: CitationFields, source: Source
) -> None:
    """An existing source is never edited in passing: say which details given were left out."""
    left_out = form.source_details_not_applied(source)
    if left_out:
        messages.info(
            request,
            f"This source was already on the desk and was reused as it is: your "
            f"{', '.join(left_out)} did not replace what it has. To correct the source, edit "
            "it (once a citation on it is verified, that is for an editor).",
        )


def _choices(request: HttpRequest, form: forms.Form) -> dict[str, object]:
    """The options offered under each name field after a POST (ambiguous or new names)."""
    if not form.is_bound:
        return {}
    options = {}
    similar = getattr(form, "similar", {})
    for field, (model, _field) in LOOKUPS.items():
        name = request.POST.get(f"{field}_name", "")
        # Possibly the same as one on record (people/checks.py): those first.
        first = similar.get(field, [])
        shown = {candidate.pk for candidate in first}
        others = [
            option for option in entity_options(model.objects.all(), name) if option.pk not in shown
        ]
        options[f"{field}_options"] = [*first, *others]
        options[f"{field}_similar"] = bool(first)
        options[f"{field}_chosen"] = request.POST.get(f"{field}_choice", "")
    return options


@require_http_methods(["GET", "POST"])
@desk_member_required
def move_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A move on the desk: its claim, its citations and their states; add another citation."""
    role_change = get_object_or_404(RoleChange.objects.for_display(), pk=pk)
    form = AddCitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citation = form.save(role_change=role_change, recorded_by=request.user)
        if citation is not None:
            messages.success(request, _("Citation added. It waits for an editor."))
            _tell_if_source_reused_as_is(request, form, citation.source)
            return redirect("stories:move-detail", pk=pk)
    citations = (
        Citation.objects.filter(role_change=role_change)
        .for_display()
        .prefetch_related("decisions", "decisions__actor")
    )
    return render(
        request,
        "desk/move_detail.html",
        {
            "move": role_change,
            "citations": citations,
            "form": form,
            # Staff see both: the move as confirmed above, an edit waiting for an editor here.
            "edits": edits_of(role_change),
            "can_decide": is_editor(request.user),
            **_choices(request, form),
        },
    )


@require_GET
@desk_member_required
def lookup(request: HttpRequest, kind: str) -> HttpResponse:
    """Live suggestions (htmx) for a person, organization or speaker name, in any script."""
    if kind not in LOOKUPS:
        raise Http404("No such lookup.")
    model, field = LOOKUPS[kind]
    name = request.GET.get(f"{field}_name", "")[:200]
    return render(
        request,
        "desk/_entity_options.html",
        {
            "field": field,
            "name": " ".join(name.split()),
            "options": entity_options(model.objects.all(), name),
            "chosen": request.GET.get(f"{field}_choice", ""),
        },
    )


@require_GET
@desk_member_required
def source_preview(request: HttpRequest) -> HttpResponse:
    """The canonical form of a source URL, and whether the desk already has that source."""
    url = request.GET.get("source_url", "").strip()
    context: dict[str, object] = {"url": url}
    if url:
        try:
            context["canonical"] = canonical_url(url)
        except InvalidSourceURL as invalid:
            context["error"] = invalid.message
        else:
            context["existing"] = Source.objects.filter(canonical_url=context["canonical"]).first()
    return render(request, "desk/_source_preview.html", context)


def _next_url(request: HttpRequest) -> str:
    """Where to go back to after an edit: ``?next=`` when it stays on this site."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("stories:desk-home")


class SourceEditForm(forms.ModelForm):
    url = forms.CharField(label=gettext_lazy("URL"), max_length=2100)
    published = PartialDateField(label=gettext_lazy("Published"), required=False)

    class Meta:
        model = Source
        fields = ["title", "publisher", "kind", "language", "archive_url", "archive_date"]
        widgets = {"archive_date": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "title": gettext_lazy("Title"),
            "publisher": gettext_lazy("Publisher or site"),
            "kind": gettext_lazy("Kind"),
            "language": gettext_lazy("Language"),
            "archive_url": gettext_lazy("Archive URL"),
            "archive_date": gettext_lazy("Archive date"),
        }


@require_http_methods(["GET", "POST"])
@desk_member_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a source's details: saved at once while nobody verified a citation on it;
    otherwise the edit waits for an editor beside the verified version (rule 5)."""
    source = get_object_or_404(Source, pk=pk)
    if not can_edit_cited_material(request.user, source):
        raise PermissionDenied(
            "Only an editor, or the journalist who recorded this source while none of its "
            "citations is verified, can edit it: ask an editor to correct it."
        )
    pending = proposed_edit_pending(source)
    initial = {"url": source.canonical_url, "published": source.published}
    initial.update(_pending_values(pending))
    form = SourceEditForm(request.POST or None, instance=source, initial=initial)
    if request.method == "POST" and form.is_valid():
        stored = Source.objects.get(pk=pk)
        changes = {field: form.cleaned_data[field] for field in SourceEditForm.Meta.fields}
        changes["published"] = form.cleaned_data["published"]
        held = is_held(stored)
        try:
            source_update(
                source=stored, editor=request.user, url=form.cleaned_data["url"], **changes
            )
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error("url" if field == "source_url" else None, errors)
        else:
            messages.success(request, _saved_message(held, _("Source saved.")))
            return redirect(_next_url(request))
    return render(
        request,
        "desk/source_edit.html",
        {
            "form": form,
            "source": source,
            "kinds": SourceKind.choices,
            **_edit_context(request, source, pending),
        },
    )


def _pending_values(pending) -> dict:
    """The edit waiting for an editor, as the form's initial values: the form continues it."""
    if pending is None:
        return {}
    return proposed_edit_values(pending)


def _saved_message(held: bool, saved: str) -> str:
    if held:
        return _(
            "Edit proposed: it waits for an editor in the verification queue. Readers see the "
            "verified version until it is verified."
        )
    return saved


def _edit_context(request: HttpRequest, material, pending) -> dict:
    return {
        "held": is_held(material),
        "pending": pending,
        "edits": edits_of(material),
        "can_decide": is_editor(request.user),
    }


class StatementEditForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = ["quote", "context_before", "context_after", "language", "translation"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "quote": gettext_lazy("Exact quoted words"),
            "context_before": gettext_lazy("Text just before the quote"),
            "context_after": gettext_lazy("Text just after the quote"),
            "language": gettext_lazy("Language"),
            "translation": gettext_lazy("Translation"),
        }
        help_texts = {"translation": gettext_lazy("In English, when the quote is not.")}


@require_http_methods(["GET", "POST"])
@desk_member_required
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a quote: saved at once while none of its citations is verified; otherwise the
    edit waits for an editor beside the verified words (rule 5)."""
    statement = get_object_or_404(Statement.objects.select_related("source", "speaker"), pk=pk)
    if not can_edit_cited_material(request.user, statement):
        raise PermissionDenied(
            "Only an editor, or the journalist who recorded this quote while none of its "
            "citations is verified, can edit it: ask an editor to correct it."
        )
    pending = proposed_edit_pending(statement)
    form = StatementEditForm(
        request.POST or None, instance=statement, initial=_pending_values(pending)
    )
    if request.method == "POST" and form.is_valid():
        stored = Statement.objects.select_related("source", "speaker").get(pk=pk)
        held = is_held(stored)
        try:
            statement_update(
                statement=stored,
                editor=request.user,
                **{field: form.cleaned_data[field] for field in StatementEditForm.Meta.fields},
            )
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _saved_message(held, _("Quote saved.")))
            return redirect(_next_url(request))
    return render(
        request,
        "desk/statement_edit.html",
        {"form": form, "statement": statement, **_edit_context(request, statement, pending)},
    )

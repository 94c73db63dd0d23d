"""The journalist's desk: home, recording moves with their citations, editing sources."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from newsroom.forms import PartialDateField
from newsroom.permissions import is_editor
from people.models import Organization, Person, RoleChange
from stories.canonical import InvalidSourceURL, canonical_url
from stories.forms import AddCitationForm, CitationFields, RecordMoveForm, entity_options
from stories.models import (
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
from stories.services import source_update, statement_update
from stories.views.access import desk_member_required

LOOKUPS = {
    "person": (Person, "person"),
    "organization": (Organization, "organization"),
    "speaker": (Person, "speaker"),
}


@require_GET
@desk_member_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """My drafts, my pending citations, and what editors disputed or rejected, with notes."""
    mine = Citation.objects.filter(created_by=request.user).for_display()
    editor = is_editor(request.user)
    context = {
        "drafts": list(
            Story.objects.by_author(request.user)
            .filter(status__in=[StoryStatus.DRAFT, StoryStatus.IN_REVIEW])
            .order_by("-updated_at")[:50]
        ),
        "review_size": Story.objects.filter(status=StoryStatus.IN_REVIEW).count()
        if editor
        else None,
        "flag_count": CorrectionFlag.objects.filter(resolved_at__isnull=True).count()
        if editor
        else None,
        "pending": list(mine.filter(state=CitationState.PENDING).order_by("created_at")[:50]),
        "sent_back": list(
            mine.filter(state__in=[CitationState.DISPUTED, CitationState.REJECTED]).order_by(
                "-decided_at"
            )[:50]
        ),
        "queue_size": Citation.objects.pending().count() if editor else None,
    }
    return render(request, "desk/desk_home.html", context)


@require_http_methods(["GET", "POST"])
@desk_member_required
def move_record(request: HttpRequest) -> HttpResponse:
    """Record a move with its quote and source: saved together, or not at all."""
    form = RecordMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = form.save(recorded_by=request.user)
        if result is not None:
            if result.role_change_created:
                messages.success(request, "Move recorded. Its citation waits for an editor.")
            else:
                messages.success(
                    request, "This move was already on record: your citation was added to it."
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
    for field, (model, _) in LOOKUPS.items():
        name = request.POST.get(f"{field}_name", "")
        options[f"{field}_options"] = entity_options(model.objects.all(), name)
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
            messages.success(request, "Citation added. It waits for an editor.")
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
    url = forms.CharField(label="URL", max_length=2100)
    published = PartialDateField(label="Published", required=False)

    class Meta:
        model = Source
        fields = ["title", "publisher", "kind", "language", "archive_url", "archive_date"]
        widgets = {"archive_date": forms.DateInput(attrs={"type": "date"})}


@require_http_methods(["GET", "POST"])
@desk_member_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a source's details. Verified citations resting on it go back to pending."""
    source = get_object_or_404(Source, pk=pk)
    if not can_edit_cited_material(request.user, source):
        raise PermissionDenied(
            "Only an editor, or the journalist who recorded this source while none of its "
            "citations is verified, can edit it: ask an editor to correct it."
        )
    initial = {"url": source.canonical_url, "published": source.published}
    form = SourceEditForm(request.POST or None, instance=source, initial=initial)
    if request.method == "POST" and form.is_valid():
        stored = Source.objects.get(pk=pk)
        changes = {field: form.cleaned_data[field] for field in SourceEditForm.Meta.fields}
        changes["published"] = form.cleaned_data["published"]
        try:
            source_update(
                source=stored, editor=request.user, url=form.cleaned_data["url"], **changes
            )
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error("url" if field == "source_url" else None, errors)
        else:
            messages.success(request, "Source saved. Any verified citation on it is pending again.")
            return redirect(_next_url(request))
    return render(
        request,
        "desk/source_edit.html",
        {"form": form, "source": source, "kinds": SourceKind.choices},
    )


class StatementEditForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = ["quote", "context_before", "context_after", "language", "translation"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3})}


@require_http_methods(["GET", "POST"])
@desk_member_required
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a quote. Verified citations resting on it go back to pending (rule 5)."""
    statement = get_object_or_404(Statement.objects.select_related("source", "speaker"), pk=pk)
    if not can_edit_cited_material(request.user, statement):
        raise PermissionDenied(
            "Only an editor, or the journalist who recorded this quote while none of its "
            "citations is verified, can edit it: ask an editor to correct it."
        )
    form = StatementEditForm(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        stored = Statement.objects.select_related("source", "speaker").get(pk=pk)
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
            messages.success(request, "Quote saved. Any verified citation on it is pending again.")
            return redirect(_next_url(request))
    return render(request, "desk/statement_edit.html", {"form": form, "statement": statement})

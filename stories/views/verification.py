"""The editor's side: the verification queue, decisions, and each citation's history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from newsroom.permissions import is_editor
from people.models import Organization, Person
from stories.forms import DecisionForm
from stories.models import Citation, CitationState
from stories.permissions import can_edit_cited_material
from stories.services import CitationConflict, citation_decide
from stories.views.access import desk_member_required, editor_required

PAGE_SIZE = 50
ROW_TEMPLATE = "desk/verify_queue.html#citation-row"


@require_GET
@editor_required
def queue(request: HttpRequest) -> HttpResponse:
    """Pending citations, oldest first, filterable by organization and by person."""
    pending = Citation.objects.pending().for_display().order_by("created_at", "pk")
    organization = person = None
    if slug := request.GET.get("organization", ""):
        organization = Organization.objects.filter(slug=slug).first()
        pending = pending.filter(role_change__organization=organization)
    if slug := request.GET.get("person", ""):
        person = Person.objects.filter(slug=slug).first()
        pending = pending.filter(role_change__person=person)
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    with_pending = Citation.objects.pending().values("role_change")
    return render(
        request,
        "desk/verify_queue.html",
        {
            "page": page,
            "organization": organization,
            "person": person,
            "organizations": Organization.objects.filter(role_changes__in=with_pending)
            .distinct()
            .order_by("name"),
            "people": Person.objects.filter(role_changes__in=with_pending)
            .distinct()
            .order_by("sort_name", "name"),
            "unknown_filter": bool(
                (request.GET.get("organization") and organization is None)
                or (request.GET.get("person") and person is None)
            ),
        },
    )


@require_POST
@editor_required
@vary_on_headers("HX-Request")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify, dispute or reject. With htmx the queue row is swapped in place."""
    citation = get_object_or_404(Citation.objects.for_display(), pk=pk)
    form = DecisionForm(request.POST)
    conflict = None
    status = 200
    if form.is_valid():
        try:
            citation = citation_decide(
                citation=citation,
                editor=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                expected_state=form.cleaned_data["seen_state"],
            )
        except CitationConflict as clash:
            conflict = str(clash)
            status = 409
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 422
        else:
            if not request.htmx:
                messages.success(
                    request, f"Citation {citation.pk} marked {citation.get_state_display()}."
                )
                return redirect("stories:verify-queue")
    else:
        status = 422
    citation = Citation.objects.for_display().get(pk=pk)
    if request.htmx:
        return render(
            request,
            ROW_TEMPLATE,
            {"citation": citation, "form": form, "conflict": conflict, "decided": status == 200},
            status=status,
        )
    if conflict:
        messages.error(request, conflict)
        return redirect("stories:citation-detail", pk=pk)
    return render(
        request,
        "desk/citation_detail.html",
        _detail_context(request, citation, form),
        status=400,
    )


@require_GET
@desk_member_required
def citation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One citation: the claim, the quote, the source, and every decision taken on it."""
    citation = get_object_or_404(Citation.objects.for_display(), pk=pk)
    return render(
        request,
        "desk/citation_detail.html",
        _detail_context(request, citation, DecisionForm(initial={"seen_state": citation.state})),
    )


def _detail_context(request: HttpRequest, citation: Citation, form: DecisionForm) -> dict:
    return {
        "citation": citation,
        "history": citation.decisions.select_related("actor").order_by("at", "pk"),
        "form": form,
        "can_decide": is_editor(request.user),
        "can_edit_quote": citation.statement is not None
        and can_edit_cited_material(request.user, citation.statement),
        "can_edit_source": can_edit_cited_material(request.user, citation.source),
        "states": CitationState,
    }

"""The editor's side: the verification queue, decisions, and each citation's history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from newsroom.forms import parse_id
from newsroom.models import ProposedEdit
from newsroom.permissions import is_editor
from people.models import Organization, Person, RoleChange
from stories.forms import DecisionForm
from stories.models import Citation, CitationState
from stories.permissions import can_edit_cited_material
from stories.services import CitationConflict, citation_decide, quote_claims
from stories.snapshots import snapshot_reading
from stories.views.access import desk_member_required, editor_required
from stories.views.edits import edits_of, shown, with_targets

PAGE_SIZE = 50
ROW_TEMPLATE = "desk/verify_queue.html#citation-row"


@require_GET
@editor_required
def queue(request: HttpRequest) -> HttpResponse:
    """Edits of verified material waiting for an editor, then pending citations, oldest first
    (filterable by organization and by person). Each list is counted in the query that reads
    it, so the page stays within its query budget whatever it lists."""
    pending = Citation.objects.pending().for_display().order_by("created_at", "pk")
    organization = person = None
    if slug := request.GET.get("organization", ""):
        organization = Organization.objects.filter(slug=slug).first()
        pending = pending.filter(role_change__organization=organization)
    if slug := request.GET.get("person", ""):
        person = Person.objects.filter(slug=slug).first()
        pending = pending.filter(role_change__person=person)
    # Edits of verified material, oldest first: each a click to verify (rule 5).
    edits = list(
        with_targets(
            ProposedEdit.objects.pending()
            .annotate(listed=Window(Count("pk")))
            .order_by("proposed_at", "pk")
        )[:PAGE_SIZE]
    )
    page = counted_page(pending, request.GET.get("page", ""), PAGE_SIZE)
    # Claims in the quotes (durations, counts, titles) that disagree with the record.
    flags = quote_claims(page.object_list)
    for citation in page.object_list:
        citation.claim_flags = flags.get(citation.pk, [])
    return render(
        request,
        "desk/verify_queue.html",
        {
            "page": page,
            "organization": organization,
            "person": person,
            **_filter_options(),
            "edits": shown(edits),
            "edit_count": edits[0].listed if edits else 0,
            "unknown_filter": bool(
                (request.GET.get("organization") and organization is None)
                or (request.GET.get("person") and person is None)
            ),
        },
    )


def counted_page(queryset: QuerySet, number: str, per_page: int) -> Page:
    """A page of ``queryset`` read in one query that also counts the whole list; a page
    number out of range falls back to the paginator's own answer (the last page)."""
    wanted = parsed if (parsed := parse_id(number)) and parsed < 10**6 else 1
    start = (wanted - 1) * per_page
    rows = list(queryset.annotate(listed=Window(Count("pk")))[start : start + per_page])
    paginator = Paginator(queryset, per_page)
    if not rows and wanted == 1:
        paginator.count = 0  # nothing at all: the first page is empty, no need to count
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].listed
    page = paginator.page(wanted)
    page.object_list = rows
    return page


def _filter_options() -> dict[str, list[dict]]:
    """The organizations and people with a pending citation, for the filters: one query."""
    pairs = (
        RoleChange.objects.filter(citations__state=CitationState.PENDING)
        .values_list(
            "organization_id",
            "organization__slug",
            "organization__name",
            "person_id",
            "person__slug",
            "person__name",
            "person__sort_name",
        )
        .distinct()
    )
    organizations, people = {}, {}
    for org_id, org_slug, org_name, person_id, slug, name, sort_name in pairs:
        organizations[org_id] = {"pk": org_id, "slug": org_slug, "name": org_name}
        people[person_id] = {"pk": person_id, "slug": slug, "name": name, "sort": sort_name}
    return {
        "organizations": sorted(organizations.values(), key=lambda o: (o["name"], o["pk"])),
        "people": sorted(people.values(), key=lambda p: (p["sort"], p["name"], p["pk"])),
    }


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
                    request,
                    _("Citation %(number)s marked %(state)s.")
                    % {"number": citation.pk, "state": citation.get_state_display()},
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
        # Staff see both: the verified version above, any edit waiting for an editor here.
        "edits": edits_of(citation.statement, citation.source, citation.role_change),
        # What the source said when last fetched, with the quote found in it (or not).
        "reading": snapshot_reading(citation),
    }

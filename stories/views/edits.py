"""Edits of verified material on the desk (rule 5): each shown beside the verified version,
word by word, and the editor's one-click decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from newsroom.models import ProposedEdit, ProposedEditState
from newsroom.proposed_edits import display, inline_diff, is_text
from people.models import RoleChange
from stories.forms import EditDecisionForm
from stories.models import Source, Statement
from stories.services import ProposedEditConflict, proposed_edit_decide
from stories.views.access import editor_required

ROW_TEMPLATE = "desk/verify_queue.html#edit-row"

LABELS = {
    "quote": gettext_lazy("Quote"),
    "context_before": gettext_lazy("Text just before the quote"),
    "context_after": gettext_lazy("Text just after the quote"),
    "speaker": gettext_lazy("Speaker"),
    "language": gettext_lazy("Language"),
    "translation": gettext_lazy("Translation"),
    "url": gettext_lazy("Address"),
    "title": gettext_lazy("Title"),
    "publisher": gettext_lazy("Publisher or site"),
    "kind": gettext_lazy("Kind"),
    "published": gettext_lazy("Published"),
    "archive_url": gettext_lazy("Archive URL"),
    "archive_date": gettext_lazy("Archive date"),
    "person": gettext_lazy("Person"),
    "organization": gettext_lazy("Organization"),
    "previous_title": gettext_lazy("Previous title"),
    "effective": gettext_lazy("Effective date"),
    "announced": gettext_lazy("Announced date"),
    "leaves_organization": gettext_lazy("Leaves the organization"),
    "is_interim": gettext_lazy("Interim"),
    "keeps_other_titles": gettext_lazy("A second post held at once"),
    "reason": gettext_lazy("Reason for leaving"),
}


@dataclass(frozen=True)
class ChangeRow:
    """One edited field: a word-by-word difference for text, else before → after."""

    label: str
    pieces: list[tuple[str, str]] | None
    before: str
    after: str


def change_rows(edit: ProposedEdit) -> list[ChangeRow]:
    rows = []
    for change in edit.changes:
        before, after = change["before"], change["after"]
        text = is_text(before) and is_text(after)
        rows.append(
            ChangeRow(
                label=str(LABELS.get(change["field"], change["field"])),
                pieces=inline_diff(before, after) if text else None,
                before=display(before),
                after=display(after),
            )
        )
    return rows


def with_targets(edits: QuerySet[ProposedEdit]) -> QuerySet[ProposedEdit]:
    """Edits with who proposed them and what they edit: a query per kind of material."""
    return edits.select_related("proposed_by", "decided_by").prefetch_related(
        GenericPrefetch(
            "target",
            [
                Statement.objects.select_related("source", "speaker"),
                Source.objects.all(),
                RoleChange.objects.for_display(),
            ],
        )
    )


def shown(edits) -> list[dict]:
    """What the desk's templates show of each edit."""
    return [
        {
            "edit": edit,
            "target": edit.target,
            "kind": type(edit.target).__name__.lower() if edit.target is not None else "",
            "rows": change_rows(edit),
        }
        for edit in edits
    ]


def edits_of(*materials) -> list[dict]:
    """The edits waiting for an editor of these quotes, sources and moves (None skipped)."""
    wanted = Q(pk__in=[])
    for material in materials:
        if material is not None:
            wanted |= Q(
                content_type=ContentType.objects.get_for_model(material), object_id=material.pk
            )
    return shown(with_targets(ProposedEdit.objects.pending().filter(wanted)))


@require_POST
@editor_required
@vary_on_headers("HX-Request")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify (one click) or reject (with a note) an edit. With htmx its queue row is
    swapped in place; otherwise back to where the editor came from."""
    edit = get_object_or_404(ProposedEdit, pk=pk)
    form = EditDecisionForm(request.POST)
    conflict = None
    status = 200
    if form.is_valid():
        try:
            proposed_edit_decide(
                edit=edit,
                editor=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ProposedEditConflict as clash:
            conflict, status = str(clash), 409
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 422
    else:
        status = 422
    if request.htmx:
        [row] = shown(with_targets(ProposedEdit.objects.filter(pk=pk)))
        context = {"item": row, "form": form, "conflict": conflict, "decided": status == 200}
        return render(request, ROW_TEMPLATE, context, status=status)
    if status == 200:
        state = ProposedEditState(form.cleaned_data["decision"]).label
        messages.success(request, _("Edit %(number)s %(state)s.") % {"number": pk, "state": state})
    elif conflict:
        messages.error(request, conflict)
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "stories:verify-queue"

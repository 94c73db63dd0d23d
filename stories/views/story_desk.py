"""Writing and reviewing stories on the desk."""

from __future__ import annotations

import contextlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from newsroom.forms import parse_id
from newsroom.permissions import is_editor
from people.models import RoleChange
from stories import services
from stories.canonical import InvalidSourceURL, canonical_url
from stories.forms import ScheduleForm
from stories.models import (
    Citation,
    CitationState,
    CorrectionFlag,
    PublishedChange,
    Story,
    StoryLanguage,
    StoryStatus,
)
from stories.rendering import render_body
from stories.revisions import text_diff
from stories.views.access import desk_member_required, editor_required


class StoryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    dek = forms.CharField(label=gettext_lazy("Dek"), max_length=500, required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=StoryLanguage.choices, initial=StoryLanguage.ENGLISH
    )
    body = forms.CharField(
        label=gettext_lazy("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "story-body", "spellcheck": "true"}),
        help_text=gettext_lazy(
            "Markdown. Cite with a marker like [^c12]: pick one from the citations below."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # An editor's edit of published text (the service refuses it without one).
    change = forms.ChoiceField(
        label=gettext_lazy("This edit of published text is"),
        choices=PublishedChange.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    correction = forms.CharField(
        label=gettext_lazy("The correction readers see (dated, never edited)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _story_for(request: HttpRequest, pk: int) -> Story:
    """A story opened on the desk.

    Every journalist and editor may read a draft (the design's table); who may change it is
    decided by the services (``can_edit``), which refuse anyone else with PermissionDenied,
    and the editor page is then read-only.
    """
    return get_object_or_404(Story.objects.prefetch_related("authors"), pk=pk)


def _attached(story: Story):
    return list(story.citations.for_display().order_by("pk"))


def _editor_context(request: HttpRequest, story: Story, form: StoryForm, **extra) -> dict:
    attached = _attached(story)
    rendered = render_body(form["body"].value() or "")
    return {
        "story": story,
        "form": form,
        "attached": attached,
        "rendered": rendered,
        "sources": _sources(rendered.citation_ids, attached),
        "marker_errors": services.marker_errors(
            form["body"].value() or "", [citation.pk for citation in attached]
        ),
        "blockers": services.publication_blockers(story, citations=attached)
        if story.status == StoryStatus.IN_REVIEW
        else [],
        "can_edit": services.can_edit(
            story, request.user, author_ids=[author.pk for author in story.authors.all()]
        ),
        "is_editor": is_editor(request.user),
        "schedule_form": ScheduleForm(initial={"time_zone": settings.TIME_ZONE}),
        "flags": list(
            CorrectionFlag.objects.filter(story=story, resolved_at__isnull=True).select_related(
                "citation"
            )
        ),
        "role_changes": list(story.role_changes.for_display().order_by("effective_date")),
        # Claims the desk can check, in the text as typed (flags never block saving).
        "claims": services.story_claims(
            story,
            text="\n".join(str(form[name].value() or "") for name in ("title", "dek", "body")),
        ),
        "conflict_fields": {},
        **extra,
    }


def _sources(citation_ids: list[int], citations: list[Citation]) -> list[tuple[int, Citation]]:
    """(footnote number, citation) for each marker, in order; unknown ids are skipped."""
    by_id = {citation.pk: citation for citation in citations}
    return [
        (number, by_id[citation_id])
        for number, citation_id in enumerate(citation_ids, start=1)
        if citation_id in by_id
    ]


@require_http_methods(["GET", "POST"])
@desk_member_required
@vary_on_headers("HX-Request")
def story_new(request: HttpRequest) -> HttpResponse:
    """Start a draft, with the citation picker: citations found by person, organization,
    title, quote or source are ticked (their markers inserted into the body with a click)
    and attached when the draft starts. "Find" (or typing, with htmx) searches without
    losing what was typed; without JavaScript the page posts itself back."""
    data = request.POST if request.method == "POST" else request.GET
    query = " ".join(data.get("q", "").split())[:200]
    chosen = list(
        Citation.objects.filter(pk__in=_ids(data.getlist("citation")))
        .exclude(state=CitationState.REJECTED)
        .for_display()
        .order_by("pk")
    )
    picker = {"query": query, "chosen": chosen, "moves": _attach_candidates(query)}
    if request.method == "GET" and request.htmx:
        return render(request, "desk/story_new.html#picker-results", picker)
    # ?translation_of=<id>: the draft is that story's version in another language.
    original = _original(data.get("translation_of", ""))
    other_language = next(
        (code for code in StoryLanguage.values if original and code != original.language), None
    )
    form = StoryForm(
        request.POST or None, initial={"language": other_language} if original else None
    )
    if request.method == "POST" and "find" not in request.POST and form.is_valid():
        try:
            story = services.story_create(
                author=request.user,
                title=form.cleaned_data["title"],
                dek=form.cleaned_data["dek"],
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"],
                citations=chosen,
                translation_of=original,
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(
                request,
                _("Draft started. Attach the moves and citations it relies on.")
                if not chosen
                else _("Draft started with the citations you picked."),
            )
            return redirect("stories:story-edit", pk=story.pk)
    if "find" in request.POST:
        form = StoryForm(request.POST)  # shown again as typed, without errors
        form.errors.clear()
    return render(request, "desk/story_new.html", {"form": form, "original": original, **picker})


def _original(value: str) -> Story | None:
    """The story a new draft translates, from the address or the form (none if unknown)."""
    pk = parse_id(value)
    return (
        Story.objects.only("pk", "title", "language", "translation_of_id").filter(pk=pk).first()
        if pk
        else None
    )


@require_http_methods(["GET", "POST"])
@desk_member_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit with a live preview. A stale save shows both versions, field by field; nothing
    typed is lost, and nothing the other writer changed is put back unnoticed."""
    story = _story_for(request, pk)
    if request.method == "GET":
        return render(
            request, "desk/story_edit.html", _editor_context(request, story, _form_for(story))
        )
    form = StoryForm(request.POST)
    conflict = None
    status = 200
    if form.is_valid():
        try:
            services.story_save(
                story=story,
                editor=request.user,
                base_version=form.cleaned_data["version"] or 0,
                title=form.cleaned_data["title"],
                dek=form.cleaned_data["dek"],
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"],
                change=form.cleaned_data["change"],
                correction=form.cleaned_data["correction"],
                resolved_flag_ids=_ids(request.POST.getlist("resolves")),
            )
        except services.StoryConflict as clash:
            conflict, status = clash, 409
            form = _merged_form(request, form, clash)
        except ValidationError as refused:
            _add_errors(form, refused)
            status = 400
        else:
            messages.success(request, _("Saved."))
            return redirect("stories:story-edit", pk=pk)
    else:
        status = 400
    story.refresh_from_db()
    context = _editor_context(request, story, form, conflict=conflict)
    if conflict is not None:
        context.update(_conflict_context(conflict, _typed(request)))
    return render(request, "desk/story_edit.html", context, status=status)


def _conflict_context(conflict, typed: dict[str, str]) -> dict:
    """Who changed which field since the writer's copy, for both versions side by side."""
    fields = conflict.fields(typed)
    labels = {"title": _("Title"), "dek": _("Dek"), "body": _("Body"), "language": _("Language")}
    return {
        "conflict_fields": fields,
        "conflict_rows": [
            {
                "field": field,
                "label": labels[field],
                "state": fields[field],
                "theirs": getattr(conflict.current, field),
                "mine": typed[field],
            }
            for field in services.STORY_FIELDS
        ],
    }


def _typed(request: HttpRequest) -> dict[str, str]:
    return {field: request.POST.get(field, "") for field in services.STORY_FIELDS}


def _merged_form(request: HttpRequest, form: StoryForm, clash) -> StoryForm:
    """The form after a stale save: the writer's own text, except the fields only the other
    writer changed, which keep that change; the next save is made against what is stored."""
    data = request.POST.copy()
    for field, value in clash.merged(_typed(request)).items():
        data[field] = value
    data["version"] = str(clash.current.version)
    merged = StoryForm(data)
    merged.is_valid()
    return merged


def _form_for(story: Story) -> StoryForm:
    """The editor's form holding the story as stored."""
    return StoryForm(
        initial={
            "title": story.title,
            "dek": story.dek,
            "language": story.language,
            "body": story.body,
            "version": story.version,
        }
    )


def _add_errors(form: forms.Form, refused: ValidationError) -> None:
    if hasattr(refused, "error_dict"):
        for field, errors in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refused)


@require_POST
@desk_member_required
def story_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The live preview (htmx): the body as readers would see it, and any broken marker."""
    story = _story_for(request, pk)
    form = StoryForm(request.POST)
    form.is_valid()
    return render(request, "desk/story_edit.html#preview", _editor_context(request, story, form))


@require_GET
@desk_member_required
@vary_on_headers("HX-Request")
def story_attach_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Moves and citations to attach, found by person, organization, title, quote, or the
    source's URL, title or publisher (a pasted link finds its source however it is spelled).

    As you type (htmx) only the results are sent; without JavaScript the search form
    submits here and gets the whole editor with the results in place.
    """
    story = _story_for(request, pk)
    query = " ".join(request.GET.get("q", "").split())[:200]
    moves = _attach_candidates(query)
    results = {"query": query, "moves": moves}
    if request.htmx:
        return render(request, "desk/_story_attach_results.html", {"story": story, **results})
    form = _form_for(story)
    return render(request, "desk/story_edit.html", _editor_context(request, story, form, **results))


def _attach_candidates(query: str) -> list[RoleChange]:
    """Moves matching ``query``, each with its citations an editor has not rejected."""
    if not query:
        return []
    return list(
        RoleChange.objects.filter(
            Q(person__name__icontains=query)
            | Q(person__other_names__name__icontains=query)
            | Q(organization__name__icontains=query)
            | Q(post__title__icontains=query)
            | Q(citations__statement__quote__icontains=query)
            | _source_matches("citations__source__", query)
        )
        .distinct()
        .for_display()
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.exclude(state=CitationState.REJECTED)
                .select_related("source", "statement")
                .order_by("pk"),
            )
        )
        .order_by("-effective_date", "pk")[:20]
    )


def _source_matches(prefix: str, query: str) -> Q:
    """A source whose URL (as stored or as entered), title or publisher holds ``query``; a
    query that is a link also finds its source by the canonical spelling."""
    matches = Q()
    for field in ("canonical_url", "url_as_entered", "title", "publisher"):
        matches |= Q(**{f"{prefix}{field}__icontains": query})
    with contextlib.suppress(InvalidSourceURL):  # not a link: the text matches above suffice
        matches |= Q(**{f"{prefix}canonical_url": canonical_url(query)})
    return matches


@require_POST
@desk_member_required
@vary_on_headers("HX-Request")
def story_attach(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_for(request, pk)
    role_changes = RoleChange.objects.filter(pk__in=_ids(request.POST.getlist("role_change")))
    citations = Citation.objects.filter(
        pk__in=_ids(request.POST.getlist("citation"))
    ).select_related("role_change")
    try:
        services.story_attach(
            story=story,
            user=request.user,
            role_changes=role_changes.select_related("person", "organization"),
            citations=citations,
        )
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Attached."))
    return _back_to_editor(request, story)


@require_POST
@desk_member_required
def story_detach(request: HttpRequest, pk: int) -> HttpResponse:
    """Detach a citation, or stop covering a move (``role_change``) and its citations."""
    story = _story_for(request, pk)
    try:
        if "role_change" in request.POST:
            move = get_object_or_404(RoleChange, pk=_id(request.POST["role_change"]))
            services.story_detach_role_change(story=story, user=request.user, role_change=move)
        else:
            citation = get_object_or_404(Citation, pk=_id(request.POST.get("citation", "")))
            services.story_detach_citation(story=story, user=request.user, citation=citation)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Detached."))
    return _back_to_editor(request, story)


def _id(value: str) -> int:
    return parse_id(value) or 0


def _ids(values: list[str]) -> list[int]:
    return [number for value in values if (number := parse_id(value)) is not None]


def _schedule(story: Story, user, data) -> Story:
    form = ScheduleForm(data)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[field].label}: {error}" if field in form.fields else str(error)
                for field, errors in form.errors.items()
                for error in errors
            ]
        )
    return services.story_schedule(
        story=story, editor=user, publish_at=form.cleaned_data["publish_at"]
    )


def _back_to_editor(request: HttpRequest, story: Story) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("stories:story-edit", pk=story.pk)


WORKFLOW = {
    "submit": (
        lambda story, user, data: services.story_submit(story=story, user=user),
        gettext_lazy("Sent to the editors for review."),
    ),
    "send-back": (
        lambda story, user, data: services.story_send_back(
            story=story, editor=user, note=data.get("note", "")
        ),
        gettext_lazy("Sent back to the authors."),
    ),
    "publish": (
        lambda story, user, data: services.story_publish(story=story, editor=user),
        gettext_lazy("Published."),
    ),
    "schedule": (
        lambda story, user, data: _schedule(story, user, data),
        gettext_lazy("Scheduled: it will be published then, and shows nowhere before."),
    ),
    "unschedule": (
        lambda story, user, data: services.story_unschedule(story=story, editor=user),
        gettext_lazy("Pulled: the story stays in review, unpublished."),
    ),
    "withdraw": (
        lambda story, user, data: services.story_withdraw(
            story=story, editor=user, note=data.get("note", "")
        ),
        gettext_lazy("Withdrawn: readers now get its tombstone, with your notice."),
    ),
    "correct": (
        lambda story, user, data: services.story_add_correction(
            story=story,
            editor=user,
            text=data.get("note", ""),
            resolved_flag_ids=_ids(data.getlist("resolves")),
        ),
        gettext_lazy("Correction added to the article."),
    ),
}


@require_POST
@desk_member_required
def story_workflow(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, send back, publish, withdraw or correct; refusals are shown on the editor."""
    if action not in WORKFLOW:
        raise Http404("No such action on a story.")
    story = _story_for(request, pk)
    if action != "submit" and not is_editor(request.user):
        raise PermissionDenied("Only editors can do this.")
    act, done = WORKFLOW[action]
    try:
        act(story, request.user, request.POST)
    except services.StoryNotPublishable as blocked:
        messages.error(request, _("Not published: first resolve each thing that blocks it."))
        for message in blocked.messages:
            messages.error(request, message)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
        if action == "correct":
            still_open = CorrectionFlag.objects.filter(story=story, resolved_at__isnull=True)
            if count := still_open.count():
                messages.warning(
                    request,
                    f"{count} flag{pluralize(count)} this correction does not address "
                    f"{'stay' if count != 1 else 'stays'} on the editors' desk.",
                )
    return redirect("stories:story-edit", pk=pk)


@require_GET
@desk_member_required
def story_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every saved revision, and what changed between any two of them."""
    story = _story_for(request, pk)
    revisions = list(story.revisions.select_related("saved_by").order_by("-number"))
    numbers = [revision.number for revision in revisions]
    older = _number(request.GET.get("a"), numbers, default=numbers[1] if len(numbers) > 1 else None)
    newer = _number(request.GET.get("b"), numbers, default=numbers[0] if numbers else None)
    diff = None
    if older is not None and newer is not None:
        by_number = {revision.number: revision for revision in revisions}
        diff = text_diff(by_number[older], by_number[newer])
    return render(
        request,
        "desk/story_revisions.html",
        {
            "story": story,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "diff": diff,
            # Flagged claims an editor checked, with their notes: part of the story's history.
            "claim_checks": list(story.claim_checks.select_related("checked_by")),
        },
    )


def _number(value: str | None, numbers: list[int], *, default: int | None) -> int | None:
    number = parse_id(value or "")
    return number if number in numbers else default


@require_GET
@editor_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Stories waiting for an editor, and published stories flagged for a correction (rule 6)."""
    in_review = (
        Story.objects.filter(status=StoryStatus.IN_REVIEW)
        .prefetch_related("authors")
        .order_by("updated_at")
    )
    flags = (
        CorrectionFlag.objects.filter(resolved_at__isnull=True)
        .select_related("story", "citation")
        .order_by("created_at")
    )
    return render(request, "desk/review_queue.html", {"in_review": in_review, "flags": flags})


@require_POST
@editor_required
def story_claim_check(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor marks a flagged claim checked, with a note (kept with the story)."""
    story = _story_for(request, pk)
    try:
        services.claim_check(
            story=story,
            fingerprint=request.POST.get("fingerprint", "")[:64],
            note=request.POST.get("note", "")[:2000],
            editor=request.user,
        )
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Claim marked checked."))
    return redirect(reverse("stories:story-edit", args=[pk]) + "#claims-heading")

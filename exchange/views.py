"""The desk's CSV import and export for editors: upload, preview every row with its
errors, confirm; and the moves as CSV, in the import's columns.

The file is checked in full on upload (a dry run: every rule, tenure conflicts included)
and shown row by row. Only a file without errors can be confirmed; its content waits in the
session under a random token until then, and the confirmation names both the token and the
file's SHA-256, so what is imported is exactly what was previewed, never a new upload. It
is checked again on confirmation, since the desk may have changed in between.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exchange.csv_export import moves_csv_lines
from exchange.csv_format import COLUMNS, ParsedFile, moves_parse
from exchange.imports import ImportNotAllowed, ImportResult, import_verifier, moves_import
from stories.views.access import editor_required

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # larger files go through `manage.py import_moves`
SESSION_KEY = "moves_import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with a header row. Up to 2 MB; larger files go through "
            "the import_moves command."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    verify = forms.BooleanField(
        label=_(
            "I have checked every source in this file: record the citations as verified "
            "by me, so the moves are public"
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; the desk takes up to 2 MB. "
                "Split it, or ask for it to be imported with the import_moves command."
            )
        return upload


def _verifier(request: HttpRequest, verify: bool):
    return import_verifier(request.user.get_username()) if verify else None


def _preview(
    request: HttpRequest,
    form: UploadForm,
    parsed: ParsedFile,
    result: ImportResult,
    *,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    errors_by_line: dict[int, list[str]] = {}
    for error in result.errors:
        errors_by_line.setdefault(error.line, []).append(error.message)
    rows = [
        {
            "line": row.line,
            "cells": [row.cells.get(column, "") for column in COLUMNS],
            "source": row.canonical_url,
            "errors": errors_by_line.get(row.line, []),
            "outcome": result.outcomes.get(row.line, ""),
        }
        for row in parsed.rows
    ]
    row_lines = {row.line for row in parsed.rows}
    context = {
        "form": form,
        "parsed": parsed,
        "result": result,
        "rows": rows,
        "columns": COLUMNS,
        "file_errors": [error for error in result.errors if error.line not in row_lines],
        "wrong_lines": len(errors_by_line),
        "token": token,
    }
    return render(request, "desk/import_moves.html", context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def moves_import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file; see every row with its errors and what importing it would add."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "desk/import_moves.html", {"form": form}, status=status)
    upload = form.cleaned_data["file"]
    data = upload.read()
    filename = upload.name.rsplit("/", 1)[-1]
    try:
        verifier = _verifier(request, form.cleaned_data["verify"])
    except ImportNotAllowed as refused:
        form.add_error("verify", str(refused))
        return render(request, "desk/import_moves.html", {"form": form}, status=400)
    parsed = moves_parse(data, filename=filename)
    result = moves_import(
        parsed=parsed, verified_by=verifier, recorded_by=request.user, dry_run=True
    )
    request.session.pop(SESSION_KEY, None)
    if not result.ok:
        return _preview(request, form, parsed, result, status=400)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "filename": filename,
        "digest": parsed.digest,
        "content": data.decode("utf-8-sig"),
        "verify": bool(verifier),
    }
    return _preview(request, form, parsed, result, token=token)


@require_POST
@editor_required
def moves_import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file, exactly as previewed (or nothing, if it no longer fits)."""
    pending = request.session.get(SESSION_KEY)
    if (
        not pending
        or not secrets.compare_digest(request.POST.get("token", ""), pending["token"])
        or request.POST.get("digest", "") != pending["digest"]
    ):
        messages.error(
            request,
            "That preview is no longer waiting here (it was imported, replaced by another "
            "upload, or the session expired): upload the file again.",
        )
        return redirect("data:moves-import")
    try:
        verifier = _verifier(request, pending["verify"])
    except ImportNotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("data:moves-import")
    parsed = moves_parse(pending["content"], filename=pending["filename"])
    result = moves_import(parsed=parsed, verified_by=verifier, recorded_by=request.user)
    if not result.ok:
        request.session.pop(SESSION_KEY, None)
        return _preview(request, UploadForm(), parsed, result, status=409)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request, f"{result.filename}: {result.rows:,} rows imported: {result.summary()}"
    )
    return redirect("data:moves-import")


@require_GET
@editor_required
def moves_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every move with its citations as CSV, in the import's columns (rejected citations
    left out; ``?verified=1``: verified ones only), streamed as it is read."""
    verified_only = request.GET.get("verified") == "1"
    day = timezone.localdate().isoformat()
    name = f"moves-{'verified-' if verified_only else ''}{day}.csv"
    response = StreamingHttpResponse(
        moves_csv_lines(verified_only=verified_only), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response

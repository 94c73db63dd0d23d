"""The desk's CSV import and export for editors: upload, watch the import run, see the
result; and the moves as CSV, in the import's columns.

An upload is stored (``MovesUpload``, the file's text in the row) and imported by a
background job (exchange/upload_jobs.py), so a file of 100,000 rows holds no request open.
The upload's page shows the progress (rows done, rows a second, time left), refreshed with
htmx every second from a partial, or by a link without JavaScript; then the result, or every
error with its line when the file was refused (nothing imported).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from exchange.csv_export import moves_csv_lines
from exchange.csv_format import COLUMNS
from exchange.imports import ImportNotAllowed, import_verifier
from exchange.models import MovesUpload, UploadState
from exchange.upload_jobs import moves_upload_run, progress_read
from stories.views.access import editor_required

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # about 200,000 rows; larger files: `manage.py import_moves`


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with a header row. Up to 20 MB; larger files go through the "
            "import_moves command."
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
                _(
                    "This file is %(size).1f MB; the desk takes up to 20 MB. Split it, or ask "
                    "for it to be imported with the import_moves command."
                ),
                params={"size": upload.size / 1024 / 1024},
            )
        data = upload.read()
        try:
            self.text = data.decode("utf-8-sig")
        except UnicodeDecodeError as wrong:
            raise forms.ValidationError(
                _(
                    "This file is not UTF-8 text (byte %(at)s cannot be read): save it from "
                    "the spreadsheet as “CSV UTF-8”."
                ),
                params={"at": f"{wrong.start + 1:,}"},
            ) from None
        if "\x00" in self.text:
            raise forms.ValidationError(_("This file is not a CSV file: it holds binary data."))
        return upload


@require_http_methods(["GET", "POST"])
@editor_required
def moves_import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file: stored, queued for import, and its page shown while it runs."""
    form = UploadForm(request.POST or None, request.FILES or None)
    recent = MovesUpload.objects.select_related("uploaded_by").defer("content", "errors")[:10]
    context = {"form": form, "columns": COLUMNS, "recent": recent}
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "desk/import_moves.html", context, status=status)
    verify = form.cleaned_data["verify"]
    if verify:
        try:
            import_verifier(request.user.get_username())
        except ImportNotAllowed as refused:
            form.add_error("verify", str(refused))
            return render(request, "desk/import_moves.html", context, status=400)
    upload = MovesUpload.objects.create(
        uploaded_by=request.user,
        filename=form.cleaned_data["file"].name.rsplit("/", 1)[-1][:255],
        content=form.text,
        verify=verify,
    )
    moves_upload_run.enqueue(upload.pk)
    return redirect("data:moves-upload", pk=upload.pk)


def _upload_context(upload: MovesUpload) -> dict:
    progress = progress_read(upload) if upload.state == UploadState.RUNNING else None
    return {"upload": upload, "progress": progress, "errors": upload.errors}


@require_GET
@editor_required
def moves_upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An upload's import: its progress while it runs, then its result or its errors.

    Requested by htmx (every second while it runs), only the status partial is sent.
    """
    upload = get_object_or_404(
        MovesUpload.objects.select_related("uploaded_by").defer("content"), pk=pk
    )
    template = "desk/moves_upload.html"
    if request.htmx:
        template += "#status"
    response = render(request, template, _upload_context(upload))
    response["Cache-Control"] = "private, no-store"
    return response


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

"""The desk's CSV import: editors only; an upload is stored and imported by a job, and its
page shows the progress, then the result or every error with its line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bench.csvs import moves_csv
from exchange.models import MovesUpload, UploadState
from exchange.tests.support import row
from newsroom.jobs import jobs_run_due
from people.models import RoleChange
from people.tests.factories import UserFactory, editor, journalist
from stories.models import Citation, CitationState

pytestmark = pytest.mark.django_db

UPLOAD = reverse("data:moves-import")


def upload(client, rows, *, name="moves.csv", verify=False, text=None, raw=None):
    content = raw if raw is not None else (text if text is not None else moves_csv(rows)).encode()
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if verify:
        data["verify"] = "on"
    return client.post(UPLOAD, data)


def status_page(client, response):
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def chief(client):
    user = editor(username="chief")
    client.force_login(user)
    return user


# Who may import -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    page = reverse("data:moves-upload", args=[1])
    for response in (client.get(UPLOAD), client.post(UPLOAD), client.get(page)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("make_user", [journalist, UserFactory])
def test_only_editors_may_import_or_see_an_import(client, make_user):
    mine = MovesUpload.objects.create(uploaded_by=editor(), filename="a.csv", content="x")
    client.force_login(make_user())
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, [row()]).status_code == 403
    assert client.get(reverse("data:moves-upload", args=[mine.pk])).status_code == 403
    assert MovesUpload.objects.count() == 1
    assert not RoleChange.objects.exists()


def test_every_editor_sees_every_import_and_an_unknown_one_is_404(client, chief):
    other = MovesUpload.objects.create(uploaded_by=editor(), filename="a.csv", content="x")
    assert client.get(reverse("data:moves-upload", args=[other.pk])).status_code == 200
    assert client.get(reverse("data:moves-upload", args=[other.pk + 1])).status_code == 404


def test_uploading_needs_the_csrf_token(chief):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(chief)
    assert upload(strict, [row()]).status_code == 403
    assert not MovesUpload.objects.exists()


# Upload, job, result ------------------------------------------------------------------------


def test_the_upload_page_explains_the_columns(client, chief):
    page = client.get(UPLOAD).content.decode()
    assert "source_url" in page and 'enctype="multipart/form-data"' in page


def test_an_upload_is_queued_then_imported_by_the_job(client, chief):
    response = upload(client, [row(change="joined", date="2022"), row()])
    assert response.status_code == 302
    saved = MovesUpload.objects.get()
    assert response["Location"] == reverse("data:moves-upload", args=[saved.pk])
    assert (saved.uploaded_by_id, saved.state) == (chief.pk, UploadState.QUEUED)
    assert not RoleChange.objects.exists()  # nothing imported in the request
    page = status_page(client, response)
    assert "Waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    assert "<progress" in page and "Refresh" in page

    jobs_run_due()
    page = status_page(client, response)
    assert "2 rows imported: 2 new moves" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling
    assert RoleChange.objects.filter(recorded_by=chief).count() == 2
    assert set(Citation.objects.values_list("state", flat=True)) == {CitationState.PENDING}


def test_verify_records_the_citations_as_verified_by_the_uploading_editor(client, chief):
    upload(client, [row()], verify=True)
    jobs_run_due()
    citation = Citation.objects.get()
    assert (citation.state, citation.decided_by_id) == (CitationState.VERIFIED, chief.pk)
    assert RoleChange.objects.public().count() == 1


def test_a_wrong_file_imports_nothing_and_shows_every_error_with_its_line(client, chief):
    response = upload(client, [row(change="joined", date="2022"), row(date="2024-13")])
    jobs_run_due()
    page = status_page(client, response)
    assert "1 error: nothing was imported" in page
    assert '<th scope="row">3</th>' in page
    assert "date: “2024-13” is not a date" in page
    assert not RoleChange.objects.exists()
    assert MovesUpload.objects.get().state == UploadState.REFUSED


def test_header_errors_are_listed(client, chief):
    response = upload(client, [], text="date,person,titel\n2024,A,B\n")
    jobs_run_due()
    page = status_page(client, response)
    assert '<th scope="row">1</th>' in page and "unknown column “titel”" in page


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "date,person\n2024,caf\xe9\n".encode("latin-1"),
            "is not UTF-8 text (byte 21 cannot be read)",
        ),
        (b"PK\x03\x04\x00\x00binary", "not a CSV file"),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_at_once(client, chief, raw, message):
    response = upload(client, [], raw=raw)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MovesUpload.objects.exists()


def test_a_file_too_large_for_the_desk_is_refused(client, chief, monkeypatch):
    monkeypatch.setattr("exchange.views.MAX_UPLOAD_BYTES", 10)
    response = upload(client, [row()])
    assert response.status_code == 400
    assert "the desk takes up to 20 MB" in response.content.decode()
    assert not MovesUpload.objects.exists()


def test_the_status_partial_is_what_htmx_gets_in_a_fixed_number_of_queries(
    client, chief, django_assert_num_queries
):
    upload(client, [row()] * 1)
    saved = MovesUpload.objects.get()
    url = reverse("data:moves-upload", args=[saved.pk])
    # The session, the user, their permissions (two: the editor check), the upload; the
    # progress is read from the cache.
    with django_assert_num_queries(5):
        partial = client.get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="upload-status"')
    assert "<html" not in body
    jobs_run_due()
    with django_assert_num_queries(5):
        partial = client.get(url, headers={"HX-Request": "true"})
    assert 'data-state="done"' in partial.content.decode()

"""The desk's CSV import: editors only, a preview of every row, and a confirmation that
imports exactly the previewed file."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bench.csvs import moves_csv
from exchange.tests.support import row
from exchange.views import SESSION_KEY
from people.models import RoleChange
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    editor,
    journalist,
    record,
)
from stories.models import Citation, CitationState

pytestmark = pytest.mark.django_db

UPLOAD = reverse("data:moves-import")
CONFIRM = reverse("data:moves-import-confirm")


def upload(client, rows, *, name="moves.csv", verify=False, text=None):
    content = (text if text is not None else moves_csv(rows)).encode("utf-8")
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if verify:
        data["verify"] = "on"
    return client.post(UPLOAD, data)


def hidden(response, name):
    return re.search(rf'name="{name}" value="([^"]*)"', response.content.decode()).group(1)


def confirm(client, preview):
    return client.post(
        CONFIRM, {"token": hidden(preview, "token"), "digest": hidden(preview, "digest")}
    )


@pytest.fixture
def chief(client):
    user = editor(username="chief")
    client.force_login(user)
    return user


# Who may import -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(UPLOAD), client.post(UPLOAD), client.post(CONFIRM)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("make_user", [journalist, UserFactory])
def test_only_editors_may_import(client, make_user):
    client.force_login(make_user())
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, [row()]).status_code == 403
    assert client.post(CONFIRM, {"token": "x", "digest": "y"}).status_code == 403
    assert not RoleChange.objects.exists()


def test_uploading_and_confirming_need_the_csrf_token(chief):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(chief)
    assert upload(strict, [row()]).status_code == 403
    assert strict.post(CONFIRM, {"token": "x", "digest": "y"}).status_code == 403


# Preview and confirm ------------------------------------------------------------------------


def test_the_upload_page_explains_the_columns(client, chief):
    page = client.get(UPLOAD).content.decode()
    assert "source_url" in page and 'enctype="multipart/form-data"' in page


def test_a_wrong_file_is_shown_row_by_row_with_its_errors_and_nothing_is_kept(client, chief):
    response = upload(client, [row(change="joined", date="2022"), row(date="2024-13")])
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 line with errors: nothing was imported." in page
    assert "date: “2024-13” is not a date" in page
    assert page.count('class="row-error"') == 1
    assert "Barret Zoph" in page  # the good row is shown too
    assert 'name="token"' not in page
    assert SESSION_KEY not in client.session
    assert not RoleChange.objects.exists()


def test_header_errors_are_listed(client, chief):
    response = upload(client, [], text="date,person,titel\n2024,A,B\n")
    assert response.status_code == 400
    assert "moves.csv:1: unknown column “titel”" in response.content.decode()


def test_a_good_file_is_previewed_then_imported_on_confirmation(client, chief):
    preview = upload(client, [row(change="joined", date="2022"), row()])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "No errors. Importing it would add: 2 new moves" in page
    assert page.count("new move") >= 2  # each row says what importing it does
    assert not RoleChange.objects.exists()  # the preview writes nothing
    done = confirm(client, preview)
    assert done.status_code == 302
    assert RoleChange.objects.count() == 2
    assert set(Citation.objects.values_list("state", flat=True)) == {CitationState.PENDING}
    assert not RoleChange.objects.public().exists()
    assert RoleChange.objects.filter(recorded_by=chief).count() == 2
    assert "2 rows imported" in client.get(done["Location"]).content.decode()
    assert SESSION_KEY not in client.session


def test_verify_records_the_citations_as_verified_by_the_uploading_editor(client, chief):
    preview = upload(client, [row()], verify=True)
    assert "verified by me" in preview.content.decode()
    confirm(client, preview)
    citation = Citation.objects.get()
    assert (citation.state, citation.decided_by_id) == (CitationState.VERIFIED, chief.pk)
    assert RoleChange.objects.public().count() == 1


def test_a_confirmation_for_another_file_imports_nothing(client, chief):
    preview = upload(client, [row()])
    response = client.post(CONFIRM, {"token": hidden(preview, "token"), "digest": "0" * 64})
    assert response.status_code == 302
    assert not RoleChange.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "upload the file again" in page


def test_a_new_upload_replaces_the_waiting_preview(client, chief):
    first = upload(client, [row()])
    upload(client, [row(person="Someone Else")])
    confirm(client, first)
    assert not RoleChange.objects.exists()


def test_a_preview_is_imported_once(client, chief):
    preview = upload(client, [row()])
    confirm(client, preview)
    confirm(client, preview)
    assert RoleChange.objects.count() == 1
    assert Citation.objects.count() == 1


def test_a_file_that_no_longer_fits_the_desk_is_refused_on_confirmation(client, chief):
    preview = upload(client, [row(change="joined", title="CTO", date="2023")])
    barret = PersonFactory(name="Barret Zoph")
    record(barret, OrganizationFactory(name="OpenAI"), "joined", "CTO", "2022")
    response = confirm(client, preview)
    assert response.status_code == 409
    assert "already holds CTO" in response.content.decode()
    assert RoleChange.objects.count() == 1


def test_a_file_too_large_for_the_desk_is_refused(client, chief, monkeypatch):
    monkeypatch.setattr("exchange.views.MAX_UPLOAD_BYTES", 10)
    response = upload(client, [row()])
    assert response.status_code == 400
    assert "the desk takes up to 2 MB" in response.content.decode()

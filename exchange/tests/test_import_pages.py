"""An import is a write nobody names page by page (COPY, bulk writes): every cached reader
page is rebuilt on its next request, and the imported move shows on the pages about it
(newsroom/page_cache.py)."""

import io

import pytest
from django.core.management import call_command

from bench.csvs import moves_csv
from exchange.tests.support import row
from stories.tests.test_cache_tags import Site, rebuilt, warm

pytestmark = pytest.mark.django_db


def test_an_import_reaches_every_page_on_the_next_request(client, tmp_path):
    site = Site()
    warm(client, site)
    path = tmp_path / "moves.csv"
    path.write_text(
        moves_csv(
            [
                row(
                    person="Ivy Import",
                    organization="Globex",
                    change="appointed",
                    title="Chief Financial Officer",
                    date="2024-10-01",
                    source_url="https://example.com/globex-cfo",
                )
            ]
        ),
        encoding="utf-8",
    )
    call_command(
        "import_moves",
        str(path),
        "--verified-by",
        site.publisher.username,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    outcome = rebuilt(client, site)
    assert all(outcome.values()), outcome
    assert "Ivy Import" in client.get(site.globex.get_absolute_url()).content.decode()

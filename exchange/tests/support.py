"""What the CSV import's tests share: a row, an import run, its errors, the rows written."""

from exchange.csv_format import moves_parse
from exchange.imports import moves_import
from people.models import Person, Post, RoleChange, Tenure
from stories.models import Citation, CitationDecision, Source, Statement

ZOPH = "https://x.com/barret_zoph/status/1839095143397515452"


def row(**cells):
    base = {
        "date": "2024-09-25",
        "person": "Barret Zoph",
        "organization": "OpenAI",
        "change": "left",
        "title": "VP of Research, Post-Training",
        "source_url": ZOPH + "?s=46&t=iTysI4vQLQqCNJjSmBODPw",
    }
    base.update(cells)
    return base


def run(text, *, filename="moves.csv", **options):
    return moves_import(parsed=moves_parse(text, filename=filename), **options)


def errors(text, **options):
    return [str(error) for error in run(text, **options).errors]


def written() -> dict[str, int]:
    """How many rows each table the import writes holds."""
    return {
        model.__name__: model.objects.count()
        for model in (Person, Post, RoleChange, Tenure, Source, Statement, Citation)
    } | {"CitationDecision": CitationDecision.objects.count()}

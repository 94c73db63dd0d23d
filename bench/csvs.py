"""Moves files for tests and for the import benchmark.

``python -m bench.csvs 100000 > big.csv`` writes a file of 100,000 rows: people
who join an organization, are promoted a couple of years later (ending their first title)
and leave, at day, month and year precision, with a quote on every third row.
"""

from __future__ import annotations

import csv
import io
import sys

HEADER = ["date", "person", "organization", "change", "title", "previous_title", "source_url"]
HEADER += ["quote", "speaker", "announced"]


def moves_csv(rows: list[dict[str, str]], *, columns: list[str] | None = None) -> str:
    """A CSV file (text) with ``columns`` (all of them by default) and these rows."""
    columns = columns or HEADER
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def career_rows(count: int, *, organizations: int = 1000, prefix: str = "") -> list[dict]:
    """``count`` rows of careers: joined, promoted (with previous_title), left."""
    rows: list[dict[str, str]] = []
    person = 0
    while len(rows) < count:
        name = f"{prefix}Person {person:06d}"
        organization = f"{prefix}Company {person % organizations:04d}"
        year = 1990 + person % 30
        month = 1 + person % 12
        desk = prefix.strip().lower().replace(" ", "-") or "news"
        url = f"https://{desk}.example.com/{person % organizations}/{person}"
        career = [
            {"date": f"{year}", "change": "joined", "title": "Engineer"},
            {
                "date": f"{year + 2}-{month:02d}",
                "change": "promoted",
                "title": f"VP of Area {person % 7}",
                "previous_title": "Engineer",
                "quote": f"{name} is our new VP.",
                "speaker": name,
            },
            {
                "date": f"{year + 5}-{month:02d}-{1 + person % 28:02d}",
                "change": "left",
                "title": f"VP of Area {person % 7}",
                "announced": f"{year + 5}-{month:02d}",
            },
        ]
        for number, move in enumerate(career):
            move.update(
                person=name, organization=organization, source_url=f"{url}?utm_source=x#{number}"
            )
        rows += career
        person += 1
    return rows[:count]


if __name__ == "__main__":
    sys.stdout.write(moves_csv(career_rows(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)))

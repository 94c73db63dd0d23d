"""check_sources: fetch every source's page, and report the dead and the changed ones.

Sources are checked oldest check first (never checked ones before all), and each is saved
as soon as it is checked, so a run cut short (Ctrl-C, a cron time limit) loses nothing and
the next run carries on where this one stopped. Dead links are a finding, not a failure:
the command exits 0 whatever it finds, so cron mails the report rather than an error.
Unreachable sources are listed too (after the dead and changed ones): their link status
is left as it was, so the note is the only place the failure shows.
"""

import argparse
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F, Q
from django.utils import timezone

from newsroom.progress import progress
from stories.models import Source
from stories.source_checks import SourceCheck, source_check


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type: a number above 0 (a timeout of 0 or -1 days would be a typo)."""

    def parse(value: str) -> int | float:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, not {value}")
        return number

    return parse


class Command(BaseCommand):
    help = (
        "Fetch each source's page: mark it live, dead (an HTTP error) or changed (a quote "
        "is no longer on it), and list the dead and changed ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            dest="source_ids",
            metavar="ID",
            type=int,
            nargs="+",
            action="extend",
            help="Check only these sources (by id).",
        )
        parser.add_argument(
            "--stale-days",
            metavar="N",
            type=_positive(int),
            help="Check only sources not checked in the last N days.",
        )
        parser.add_argument(
            "--timeout",
            metavar="S",
            type=_positive(float),
            help="Seconds allowed for each page (default: SOURCE_CHECK_TIMEOUT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids: list[int] = options["source_ids"] or []
        sources = Source.objects.all()
        if ids:
            known = set(Source.objects.filter(pk__in=ids).values_list("pk", flat=True))
            if unknown := sorted(set(ids) - known):
                listed = ", ".join(map(str, unknown))
                raise CommandError(f"No source with id {listed}: nothing was checked.")
            sources = sources.filter(pk__in=ids)
        if (days := options["stale_days"]) is not None:
            cutoff = timezone.now() - timedelta(days=days)
            sources = sources.filter(
                Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=cutoff)
            )
        # A list, not .iterator(): each check updates last_checked_at, the very column the
        # query is ordered by, and SQLite gives no isolation from our own writes mid-read.
        oldest_first = sources.order_by(F("last_checked_at").asc(nulls_first=True), "pk")
        queue = list(oldest_first.prefetch_related("statements"))
        if not queue:
            self.stdout.write("No sources to check.")
            return

        counts: Counter[str] = Counter()
        problems: list[SourceCheck] = []
        # The raw stream: OutputWrapper.write would end every redraw with a newline.
        stream = self.stdout._out
        for source in progress(
            queue, total=len(queue), stream=stream, label="Checking sources", unit="sources"
        ):
            check = source_check(source=source, timeout=options["timeout"])
            counts[check.status] += 1
            if check.status != "live":
                problems.append(check)

        noun = "source" if len(queue) == 1 else "sources"
        tally = ", ".join(f"{counts[s]} {s}" for s in ("live", "dead", "changed", "unreachable"))
        self.stdout.write(f"Checked {len(queue)} {noun}: {tally}.")
        styles = {"dead": self.style.ERROR, "changed": self.style.WARNING}
        order = ["dead", "changed", "unreachable"]
        for check in sorted(problems, key=lambda check: order.index(check.status)):
            source = check.source
            line = f"{check.status.upper():<11} #{source.pk} {source.canonical_url}: {check.note}"
            self.stdout.write(line, styles.get(check.status))

"""generate_desk: fill an empty database with the synthetic desk (see bench/synthetic.py)."""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from bench.synthetic import SCALES, DeskNotEmpty, desk_generate, desk_matches
from newsroom.management.pools import PoolClosingCommand


class Command(PoolClosingCommand):
    help = (
        "Fill an empty database with a synthetic desk for the benchmark: at full scale "
        "100,000 people, 10,000 organizations, 50,000 posts, 1,000,000 role changes and "
        "their tenures, 50,000 stories and 500,000 citations; small is a hundredth of that."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="full, small (a hundredth) or tiny (for tests). Default: small.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="The same seed, the same desk.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="When the database already holds a desk of this scale, keep it and exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES[options["scale"]]
        if options["reuse"] and desk_matches(scale):
            self.stdout.write(f"The database already holds a {options['scale']} desk; reused.")
            return
        try:
            # The raw stream: OutputWrapper.write would end every redraw with a newline.
            result = desk_generate(scale=scale, seed=options["seed"], stream=self.stderr._out)
        except DeskNotEmpty as refused:
            raise CommandError(f"{refused} Nothing was generated.") from None
        counts = ", ".join(
            f"{count:,} {name.replace('_', ' ')}" for name, count in result.counts.items()
        )
        self.stdout.write(
            self.style.SUCCESS(f"Generated a {options['scale']} desk in {result.seconds:.1f} s: ")
            + f"{counts} ({result.rows:,} rows, {result.rows_per_second:,.0f} rows/s)."
        )

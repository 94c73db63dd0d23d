"""The progress bar of management commands: tqdm's, drawn on a terminal only.

A command importing 100,000 rows or checking hundreds of URLs runs for minutes; on a terminal
a bar shows that it is still working, how fast and how long is left. Anywhere else (cron, a
pipe, a log file, tests) it prints nothing, so the command's own report is all that ends up
in the output. The last state is always drawn, then a newline, even when the loop stops early
(``break`` or an exception), so what the command prints next starts on a line of its own.
"""

from collections.abc import Iterable, Iterator
from typing import Protocol

from tqdm import tqdm

INTERVAL = 0.1  # seconds between redraws: at most ~10 a second, however fast the items go


class Stream(Protocol):
    def write(self, text: str, /) -> object: ...
    def flush(self) -> None: ...
    def isatty(self) -> bool: ...


def progress[T](
    iterable: Iterable[T], *, total: int, stream: Stream, label: str, unit: str = "it"
) -> Iterator[T]:
    """Yield the items of ``iterable``, drawing ``label: 40%|####  | 12/30 [00:03<00:04,
    3.90rows/s]`` (with ``unit="rows"``) on ``stream`` when it is a terminal."""
    return iter(
        tqdm(
            iterable,
            total=total,
            file=stream,
            desc=label,
            unit=unit,
            disable=not stream.isatty(),
            mininterval=INTERVAL,
            ascii=True,
            dynamic_ncols=True,
        )
    )

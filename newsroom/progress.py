"""A one-line progress bar for management commands, with no dependency to install.

A command checking hundreds of URLs runs for minutes; on a terminal a bar shows that it is
still working. Anywhere else (cron, a pipe, a log file, tests) it prints nothing, so the
command's own report is all that ends up in the output.
"""

from collections.abc import Iterable, Iterator
from time import monotonic
from typing import Protocol

WIDTH = 30  # characters between the brackets
INTERVAL = 0.1  # seconds between redraws: at most ~10 a second, however fast the items go


class Stream(Protocol):
    def write(self, text: str, /) -> object: ...
    def flush(self) -> None: ...
    def isatty(self) -> bool: ...


def _line(label: str, done: int, total: int) -> str:
    fraction = min(done / total, 1.0) if total > 0 else 1.0
    filled = round(fraction * WIDTH)
    bar = "#" * filled + "." * (WIDTH - filled)
    return f"\r{label} [{bar}] {done}/{total} ({int(fraction * 100)}%)"


def progress[T](iterable: Iterable[T], *, total: int, stream: Stream, label: str) -> Iterator[T]:
    """Yield the items of `iterable`, redrawing `label [###...] done/total (pct%)` on `stream`.

    Draws only when `stream` is a terminal. Redraws are throttled, since writing to a
    terminal for every item can cost more than the items themselves; the final state is
    always drawn, then a newline, even when the loop stops early (break or exception), so
    what the command prints next starts on a line of its own.
    """
    if not stream.isatty():
        yield from iterable
        return
    done = 0
    stream.write(_line(label, done, total))
    stream.flush()
    drawn_at = monotonic()
    try:
        for item in iterable:
            yield item
            done += 1
            if (now := monotonic()) - drawn_at >= INTERVAL:
                stream.write(_line(label, done, total))
                stream.flush()
                drawn_at = now
    finally:
        stream.write(_line(label, done, total) + "\n")
        stream.flush()

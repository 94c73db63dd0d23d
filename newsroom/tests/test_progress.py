"""The progress bar: drawn on a terminal, throttled, silent anywhere else."""

import io

import pytest

from newsroom import progress as progress_module
from newsroom.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A clock the test moves by hand: progress reads now[0]."""
    now = [1000.0]
    monkeypatch.setattr(progress_module, "monotonic", lambda: now[0])
    return now


def test_not_a_terminal_prints_nothing() -> None:
    stream = io.StringIO()
    assert list(progress(range(5), total=5, stream=stream, label="Checking")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_on_a_terminal_draws_the_start_and_the_final_state(clock: list[float]) -> None:
    stream = Terminal()
    assert list(progress(range(40), total=40, stream=stream, label="Checking")) == list(range(40))
    output = stream.getvalue()
    assert output.startswith("\rChecking [" + "." * 30 + "] 0/40 (0%)")
    assert output.endswith("\rChecking [" + "#" * 30 + "] 40/40 (100%)\n")
    assert output.count("\n") == 1


def test_a_partial_bar() -> None:
    stream = Terminal()
    items = progress(range(40), total=40, stream=stream, label="Checking")
    for i in items:
        if i == 12:  # items 0 to 11 are done; the consumer stops
            break
    items.close()
    assert stream.getvalue().endswith("\rChecking [#########.....................] 12/40 (30%)\n")


def test_redraws_are_throttled(clock: list[float]) -> None:
    stream = Terminal()
    for i in progress(range(100), total=100, stream=stream, label="x"):
        if i == 50:
            clock[0] += 0.2  # only one item is slow enough to be worth a redraw
    lines = stream.getvalue().split("\r")[1:]
    assert [line.split("] ")[1] for line in lines] == [
        "0/100 (0%)",
        "51/100 (51%)",
        "100/100 (100%)\n",
    ]


def test_the_line_ends_even_when_the_loop_fails(clock: list[float]) -> None:
    stream = Terminal()
    with pytest.raises(RuntimeError):
        for i in progress(range(10), total=10, stream=stream, label="x"):
            if i == 3:
                raise RuntimeError
    assert stream.getvalue().endswith(" 3/10 (30%)\n")


def test_an_empty_iterable_with_a_zero_total() -> None:
    stream = Terminal()
    assert list(progress([], total=0, stream=stream, label="x")) == []
    assert stream.getvalue().endswith("] 0/0 (100%)\n")

"""The progress bar: drawn on a terminal with its rate and time left, throttled, silent
anywhere else."""

import io
import re

import pytest
import tqdm.std

from newsroom.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A clock the test moves by hand: the bar reads now[0]."""
    now = [1000.0]
    monkeypatch.setattr(tqdm.std, "time", lambda: now[0])
    return now


def states(stream: Terminal) -> list[str]:
    """Each drawing of the bar, as the terminal shows it."""
    return [line.strip() for line in stream.getvalue().split("\r") if line.strip()]


def test_not_a_terminal_prints_nothing() -> None:
    stream = io.StringIO()
    assert list(progress(range(5), total=5, stream=stream, label="Checking")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_on_a_terminal_draws_the_start_and_the_final_state(clock: list[float]) -> None:
    stream = Terminal()
    for _ in progress(range(40), total=40, stream=stream, label="Checking"):
        clock[0] += 0.5
    drawn = states(stream)
    assert drawn[0].startswith("Checking:   0%|")
    assert " 0/40 " in drawn[0]
    assert drawn[-1].startswith("Checking: 100%|")
    assert " 40/40 [00:20<00:00," in drawn[-1]  # elapsed, time left
    assert "2.00it/s]" in drawn[-1]  # the rate
    assert stream.getvalue().endswith("\n")
    assert stream.getvalue().count("\n") == 1


def test_a_partial_bar_shows_the_time_left(clock: list[float]) -> None:
    stream = Terminal()
    items = progress(range(40), total=40, stream=stream, label="Checking")
    for i in items:
        if i == 12:  # items 0 to 11 are done; the consumer stops
            break
        clock[0] += 1.0
    items.close()
    assert " 12/40 [00:12<00:28," in states(stream)[-1]
    assert stream.getvalue().endswith("\n")


def test_redraws_are_throttled(clock: list[float]) -> None:
    stream = Terminal()
    for i in progress(range(100), total=100, stream=stream, label="x"):
        if i == 50:
            clock[0] += 0.2  # only one item is slow enough to be worth a redraw
    counts = [re.search(r"\d+/100", state).group() for state in states(stream)]
    assert counts == ["0/100", "51/100", "100/100"]


def test_the_line_ends_even_when_the_loop_fails(clock: list[float]) -> None:
    stream = Terminal()
    with pytest.raises(RuntimeError):
        for i in progress(range(10), total=10, stream=stream, label="x"):
            if i == 3:
                raise RuntimeError
    assert " 3/10 " in states(stream)[-1]
    assert stream.getvalue().endswith("\n")


def test_an_empty_iterable_with_a_zero_total() -> None:
    stream = Terminal()
    assert list(progress([], total=0, stream=stream, label="x")) == []
    assert states(stream)[-1].startswith("x: 0it")  # nothing to do, said plainly
    assert stream.getvalue().endswith("\n")

"""Fixtures the exchange tests share."""

import pytest

from people.demo import load_people
from stories.demo import ensure_accounts, load_citations


@pytest.fixture
def demo():
    """The demo desk (OpenAI and Anthropic, their moves and citations); its editor."""
    accounts = ensure_accounts("demo-password-for-tests")
    load_citations(
        load_people(confirm=False), journalist=accounts.journalist, editor=accounts.editor
    )
    return accounts.editor

"""Load the demo desk: OpenAI's September 2024 leadership changes. Safe to run again."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from people.demo import load_people
from stories.demo import ensure_accounts, load_citations, load_stories


def demo_password() -> tuple[str, str]:
    """DEMO_PASSWORD when set; else one generated once and kept in var/ (never in the repo)."""
    if password := os.environ.get("DEMO_PASSWORD", ""):
        return password, "from DEMO_PASSWORD"
    stored = Path(settings.VAR_DIR) / "demo-password.txt"
    if stored.exists():
        return stored.read_text().strip(), f"kept in {stored}"
    password = secrets.token_urlsafe(12)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text(password + "\n")
    stored.chmod(0o600)
    return password, f"generated, kept in {stored}"


class Command(BaseCommand):
    help = (
        "Load the demo desk (people, organizations, moves, citations, demo accounts). "
        "Running it twice changes nothing."
    )

    def handle(self, *args, **options) -> None:
        password, origin = demo_password()
        journalist, editor = ensure_accounts(password)
        people = load_people(confirm=False)
        created = people.created + load_citations(people, journalist=journalist, editor=editor)
        created += load_stories(people, journalist=journalist, editor=editor)
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo desk loaded: {len(people.people)} people, "
                    f"{len(people.organizations)} organizations, {len(people.moves)} moves "
                    f"({created} new records)."
                )
            )
        else:
            self.stdout.write("Demo desk already loaded: nothing to do.")
        self.stdout.write(
            f"Demo accounts: 'journalist' and 'editor', password {password} ({origin})."
        )

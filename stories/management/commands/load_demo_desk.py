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
        chosen: list[tuple[str, str]] = []

        def new_password() -> str:
            chosen.append(demo_password())
            return chosen[0][0]

        accounts = ensure_accounts(new_password)
        journalist, editor = accounts.journalist, accounts.editor
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
        if accounts.created:
            password, origin = chosen[0]
            self.stdout.write(
                f"Demo {_accounts(accounts.created)} created, password {password} ({origin})."
            )
        if accounts.kept:
            # The password printed (or DEMO_PASSWORD) would not apply to these: say so,
            # rather than print one that does not open them.
            self.stdout.write(
                f"Demo {_accounts(accounts.kept)} already existed and kept "
                f"{'its' if len(accounts.kept) == 1 else 'their'} password "
                "(this command never changes it; DEMO_PASSWORD applies only to accounts it "
                "creates). To set a new one: python manage.py changepassword USERNAME."
            )


def _accounts(usernames: tuple[str, ...]) -> str:
    """ "account 'editor'", "accounts 'journalist' and 'editor'"."""
    quoted = [f"'{username}'" for username in usernames]
    if len(quoted) == 1:
        return f"account {quoted[0]}"
    return f"accounts {', '.join(quoted[:-1])} and {quoted[-1]}"

"""Load the demo desk: OpenAI's September 2024 leadership changes. Safe to run again."""

from django.core.management.base import BaseCommand

from people.demo import load_people


class Command(BaseCommand):
    help = "Load the demo desk (people, organizations, moves). Running it twice changes nothing."

    def handle(self, *args, **options) -> None:
        people = load_people()
        if people.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo desk loaded: {len(people.people)} people, "
                    f"{len(people.organizations)} organizations, {len(people.moves)} moves "
                    f"({people.created} new records)."
                )
            )
        else:
            self.stdout.write("Demo desk already loaded: nothing to do.")

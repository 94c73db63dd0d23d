"""rebuild_tenures: replay every person's recorded changes into tenures again.

Tenures are derived data (people/tenures.py); the desk rebuilds a person's tenures at an
organization whenever one of their changes is written. A release that changes how changes
are replayed (issue 14's "ended by a later title") needs the existing rows rebuilt once:
run this after `migrate`. Each person and organization is rebuilt in a transaction of its
own, so a pair whose records break rule 2 is reported and left as it was, and the others
are still rebuilt. Safe to run again: the result depends only on the recorded changes.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom.progress import progress
from people.models import RoleChange
from people.tenures import TenureConflict, rebuild_tenures


class Command(BaseCommand):
    help = "Rebuild every tenure from the recorded role changes (after an upgrade)."

    def handle(self, *args, **options) -> None:
        pairs = list(
            RoleChange.objects.order_by("person_id", "organization_id")
            .values_list("person_id", "organization_id")
            .distinct()
        )
        refused = 0
        for person_id, organization_id in progress(
            pairs, total=len(pairs), stream=self.stderr, label="Tenures", unit="pairs"
        ):
            try:
                with transaction.atomic():
                    rebuild_tenures(person_id=person_id, organization_id=organization_id)
            except TenureConflict as conflict:
                refused += 1
                self.stderr.write(f"left as it was: {conflict}")
        self.stdout.write(
            f"Rebuilt the tenures of {len(pairs) - refused} of {len(pairs)} "
            "person and organization pairs."
        )

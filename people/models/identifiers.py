"""Identifiers other publishers give people and organizations.

A Popolo file from a parliament monitor, a council or a company register names each person
and organization by an id of its own (a UUID, ``person/42``, a number), and often lists
further ``identifiers`` (``{"scheme": "viaf", "identifier": "…"}``). They are kept here, one
row per scheme and identifier, so that importing that publisher's data again finds the same
rows whatever their names have become. (A Wikidata Q-id has its own field on the person and
the organization: the desk links it.)
"""

from __future__ import annotations

from django.db import models

SCHEME_MAX_LENGTH = 100
IDENTIFIER_MAX_LENGTH = 200


class Identifier(models.Model):
    scheme = models.CharField(
        max_length=SCHEME_MAX_LENGTH,
        help_text="Whose identifier it is: the import's id scheme, or a scheme the file names "
        "(viaf, everypolitician).",
    )
    identifier = models.CharField(max_length=IDENTIFIER_MAX_LENGTH)

    class Meta:
        abstract = True
        ordering = ["scheme", "identifier"]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.identifier}"


class PersonIdentifier(Identifier):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="identifiers"
    )

    class Meta(Identifier.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "identifier"], name="person_identifier_unique_per_scheme"
            )
        ]


class OrganizationIdentifier(Identifier):
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="identifiers"
    )

    class Meta(Identifier.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "identifier"], name="organization_identifier_unique_per_scheme"
            )
        ]

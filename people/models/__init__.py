"""People, organizations, posts, role changes and the tenures they produce."""

from people.models.identifiers import OrganizationIdentifier, PersonIdentifier
from people.models.moves import KIND_FORM_CHOICES, RoleChange, RoleChangeKind
from people.models.organizations import Organization, OrganizationKind, OrganizationName, Post, Rank
from people.models.people import Person, PersonName
from people.models.tenures import Tenure, TenureScope

__all__ = [
    "KIND_FORM_CHOICES",
    "Organization",
    "OrganizationIdentifier",
    "OrganizationKind",
    "OrganizationName",
    "Person",
    "PersonIdentifier",
    "PersonName",
    "Post",
    "Rank",
    "RoleChange",
    "RoleChangeKind",
    "Tenure",
    "TenureScope",
]

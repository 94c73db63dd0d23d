"""Factories for the people desk. Record moves with ``record()``, never by creating rows."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group, User

from newsroom.dates import PartialDate
from people.models import Organization, Person, PersonName, Post, Rank, RoleChange
from people.services import role_change_record


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n:04d} Example")


class PersonNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonName

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"別名{n}")
    language = "ja"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n:04d}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"VP of Things {n}")
    rank = Rank.VP
    is_leadership = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))
        if create:
            self.save()


def journalist(**kwargs) -> User:
    return UserFactory(groups=["Journalists"], **kwargs)


def editor(**kwargs) -> User:
    return UserFactory(groups=["Editors"], is_staff=True, **kwargs)


def record(
    person: Person,
    organization: Organization,
    kind: str,
    title: str,
    effective: str,
    *,
    public: bool = True,
    **kwargs,
) -> RoleChange:
    """Record a move through the service, as every part of the product does."""
    return role_change_record(
        person=person,
        organization=organization,
        kind=kind,
        title=title,
        effective=PartialDate.parse(effective),
        is_public=public,
        **kwargs,
    )

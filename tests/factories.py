"""Test data builders. People and roles go through the services, as in production."""

import factory

from accounts.models import Team, User
from accounts.services import people

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Faker("name")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return people.create_person(
            email=kwargs["email"], name=kwargs["name"], password=kwargs.get("password", PASSWORD)
        )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


def place(user: User, team: Team, role: str) -> User:
    people.set_membership(user=user, team=team, role=role)
    return user


def grant(user: User, role: str) -> User:
    people.grant_role(user=user, role=role)
    return user

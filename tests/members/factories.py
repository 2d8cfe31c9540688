"""Accounts as the tests need them: a pseudonym, a role, a profile type; staff already have
their second factor, as the middleware requires."""

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from tenant_apps.members import services as members
from tenant_apps.members.models import Member, ProfileType, Role

PASSWORD = "un-long-secret-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified account of the current network, made by ``member_create``; its email is
    ``<pseudonym>@example.org`` and its password ``PASSWORD``."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"Membre{n}")
    email = factory.LazyAttribute(lambda account: f"{account.username.lower()}@example.org")
    password = PASSWORD
    role = Role.MEMBER
    profile_type = ProfileType.PATIENT

    @classmethod
    def _create(cls, model_class, **fields):
        user = members.member_create(**fields)
        if fields.get("role", Role.MEMBER) != Role.MEMBER:
            TOTP.activate(user, generate_totp_secret())
        return user


class MemberFactory(factory.django.DjangoModelFactory):
    """The member behind a new account (what the feature apps' services take)."""

    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, user, **fields):
        # Role and profile type belong to the account: MemberFactory(user__role=Role.ADMIN).
        # Any other field (status, department…) is written on the member made with it.
        if fields:
            model_class.objects.filter(pk=user.member.pk).update(**fields)
        return model_class.objects.get(pk=user.member.pk)


def account(username: str, role: str = Role.MEMBER, profile_type: str = ProfileType.PATIENT,
            **fields):  # fmt: skip
    """A verified account of the current network; its email is ``<pseudonym>@example.org``."""
    return UserFactory(username=username, role=role, profile_type=profile_type, **fields)

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection, transaction


def operator_create(*, username: str, email: str, password: str):
    """A platform operator (public schema), with a verified email to sign in with."""
    schema_name = connection.schema_name  # type: ignore[attr-defined]  # set by django-tenants
    assert schema_name == "public", "operators live in the public schema"  # noqa: S101
    with transaction.atomic():
        user = get_user_model().objects.create_superuser(
            username=username, email=email.lower(), password=password
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user

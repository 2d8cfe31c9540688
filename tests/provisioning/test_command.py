"""``manage.py tenants``: what an operator types and reads."""

import pytest
from django.core.management import CommandError, call_command

from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("tenants", *args, stdout=out)
    return out.getvalue()


def test_create_shows_progress_and_the_invitation_link_then_list_and_suspend(db):
    run("template")
    output = run(
        "create", "poumon", "--name", "Mon réseau cancer du poumon",
        "--organization", "patients-en-reseau", "--admin-email", "admin@example.org",
    )  # fmt: skip
    assert "Schema…" in output
    assert "https://poumon.localhost/invitation/" in output
    assert "poumon" in run("list")
    run("suspend", "poumon", "--reason", "test")
    assert Tenant.objects.get(slug="poumon").status == Tenant.Status.SUSPENDED
    assert "nothing changed" in run(
        "create", "poumon", "--name", "x", "--organization", "patients-en-reseau",
        "--admin-email", "admin@example.org",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "public", "--name", "x", "--organization", "o", "--admin-email", "a@b.fr"],
         "réservé"),
        (["create", "ok-slug", "--name", "x", "--organization", "o", "--admin-email", "a@b.fr",
          "--domain", "pas un domaine"], "custom_domain"),
        (["suspend", "inconnu"], "Aucun réseau"),
        (["delete", "inconnu"], "Aucun réseau"),
        (["restore", "/nonexistent/archive.tar.gz"], "No archive"),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_error(db, args, message):
    before = list(Tenant.objects.order_by("pk").values_list("slug", flat=True))
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert list(Tenant.objects.order_by("pk").values_list("slug", flat=True)) == before

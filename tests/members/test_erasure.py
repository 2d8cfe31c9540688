"""An erased member leaves neither email nor pseudonym anywhere in the network's schema,
files, sessions, cache or logs; only an anonymous row remains (committed data, real dump)."""

import logging
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from provisioning import services as provisioning
from provisioning.pgtools import pg_connection_args, pg_tool
from tenant_apps.members import services
from tenant_apps.members.models import Consent, Member

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "zoe.unique-4821@example.org"
PSEUDONYM = "Zoe4821"
PASSWORD = "un-long-secret-42"
TRACES = (EMAIL.lower(), PSEUDONYM.lower())


def png_with_exif() -> bytes:
    """A small PNG whose EXIF names its author: exactly what must not be kept."""
    exif = Image.Exif()
    exif[0x013B] = f"{PSEUDONYM} <{EMAIL}>"  # Artist
    exif[0x010E] = "Photo de Zoe4821"  # ImageDescription
    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="PNG", exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(BytesIO(data)).getexif()[0x013B].startswith(PSEUDONYM)
    return data


def has_trace(text: str) -> bool:
    return any(trace in text.lower() for trace in TRACES)


def schema_dump(schema_name: str) -> str:
    args, env = pg_connection_args()
    completed = subprocess.run(  # noqa: S603 - fixed binary, arguments built here
        [pg_tool("pg_dump"), *args, "--data-only", f"--schema={schema_name}",
         connection.settings_dict["NAME"]],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return completed.stdout


def cache_contents() -> list[str]:
    """Keys and stored values of the local-memory cache the tests run with."""
    store = getattr(cache, "_cache", None)
    if store is None:  # another backend: nothing to inspect here
        return []
    return [f"{key} {value!r}" for key, value in store.items()]


@pytest.fixture
def network(transactional_db, drop_tenant_schemas):
    provisioning.platform_ensure()
    return provisioning.tenant_create(
        slug="erase-me", name="Réseau effacement", organization_slug="asso-effacement",
        admin_email="admin@effacement.example", actor="test",
    ).tenant  # fmt: skip


def test_an_erased_member_leaves_no_trace_of_email_or_pseudonym(network, caplog):
    caplog.set_level(logging.INFO)
    host = network.domains.get(is_primary=True).domain
    with tenant_context(network):
        user = services.member_create(username=PSEUDONYM, email=EMAIL, password=PASSWORD)
        member = user.member
        services.consent_give(member=member, kind=Consent.Kind.CHARTER)
        services.consent_give(member=member, kind=Consent.Kind.HEALTH_DATA)
        pathology = services.pathology_create(name="Cancer du poumon")
        services.profile_update(
            member=member,
            pathologies=[pathology],
            bio="Je suis Zoe4821, écrivez-moi à zoe.unique-4821@example.org",
            department="29",
            avatar=SimpleUploadedFile("zoe.png", png_with_exif(), content_type="image/png"),
        )
        member.refresh_from_db()
        avatar_path = Path(member.avatar.path)
        stored = avatar_path.read_bytes()
        with Image.open(BytesIO(stored)) as image:
            assert not image.getexif()
            assert "exif" not in image.info
        assert not has_trace(stored.decode("latin-1"))
        anonymous_id = member.anonymous_id
    assert str(avatar_path).startswith(str(Path(settings.MEDIA_ROOT) / network.schema_name))

    # A failed then a real sign-in on a laptop (the rate limiter writes to the cache), and a
    # second device signed in too: its session must end with the erasure.
    laptop, phone = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
    laptop.post("/comptes/login/", {"login": EMAIL, "password": "pas-le-bon"})
    for device in (laptop, phone):
        response = device.post("/comptes/login/", {"login": EMAIL, "password": PASSWORD})
        assert response.status_code == 302
        assert device.get("/mes-donnees/").status_code == 200
    assert cache_contents()
    with tenant_context(network):
        assert Session.objects.count() == 2
        # Set up once signed in, so that the sign-ins above need no code.
        TOTP.activate(user, generate_totp_secret())

    response = laptop.post("/mes-donnees/supprimer/", {"password": PASSWORD, "content": "keep"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    for device in (laptop, phone):
        # Both sessions are over: a member-only page sends them to sign in.
        signed_out = device.get("/mes-donnees/")
        assert (signed_out.status_code, signed_out["Location"]) == (
            302,
            "/comptes/login/?next=/mes-donnees/",
        )
        assert device.get("/").wsgi_request.user.is_anonymous

    dump = schema_dump(network.schema_name)
    assert "Cancer du poumon" in dump  # the dump is the real schema's data
    assert not has_trace(dump)

    files = [path for path in Path(settings.MEDIA_ROOT, network.schema_name).rglob("*")]
    assert not avatar_path.exists()
    for path in files:
        if path.is_file():
            assert not has_trace(path.read_bytes().decode("latin-1")), path

    for entry in cache_contents():
        assert not has_trace(entry), entry
    for record in caplog.records:
        assert not has_trace(record.getMessage()), record.getMessage()

    with tenant_context(network):
        assert Session.objects.count() == 0
        remains = Member.objects.get(anonymous_id=anonymous_id)
        assert remains.erased is not None
        assert remains.user is None
        assert not remains.avatar
        assert not remains.pathologies.exists()
        assert not remains.consents.exists()
        assert (remains.bio, remains.department) == ("", "")
        assert re.fullmatch(
            r"(Deleted member|Membre supprimé) #[0-9a-f]{8}", str(remains.display_name)
        )
        assert str(remains.display_name).endswith(str(anonymous_id)[:8])


@pytest.mark.django_db
def test_the_invitation_of_an_erased_member_goes_even_after_an_email_change(tenant):
    from allauth.account.models import EmailAddress

    from tenant_apps.members.models import Invitation, Role

    invitation = services.invitation_create(email="zoe.old-4821@example.org", role=Role.MEMBER)
    user = services.invitation_accept(key=invitation.key, username=PSEUDONYM, password=PASSWORD)
    # What allauth's email change leaves: a new primary address, the old one removed.
    EmailAddress.objects.filter(user=user).delete()
    user.email = EMAIL
    user.save(update_fields=["email"])
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)

    services.member_erase(member=user.member)

    assert not Invitation.objects.filter(email__iexact="zoe.old-4821@example.org").exists()

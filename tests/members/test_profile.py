"""A member's own profile (/profil/) and what others see of it (/membres/<pseudonym>/)."""

from io import BytesIO

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from PIL import Image

from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member, ProfileType, Role

pytestmark = pytest.mark.django_db

PASSWORD = "une-longue-phrase-secrete"
EDIT = "/profil/"
PROFILE_FIELDS = (
    "profile_type",
    "department",
    "bio",
    "avatar",
    "visibility_profile_type",
    "visibility_pathologies",
    "visibility_region",
    "visibility_bio",
    "visibility_avatar",
)


def make_user(username: str, role: str = Role.MEMBER, profile_type: str = ProfileType.PATIENT):
    user = members.member_create(
        username=username,
        email=f"{username.lower()}@example.org",
        password=PASSWORD,
        role=role,
        profile_type=profile_type,
    )
    # As on registration: consent to health data, without which no pathology is stored.
    members.consent_give(member=user.member, kind=Consent.Kind.HEALTH_DATA)
    if role != Role.MEMBER:
        TOTP.activate(user, generate_totp_secret())  # staff must have a second factor
    return user


def snapshot() -> list[tuple]:
    """Every member's profile, pathologies included, to prove a refusal changed nothing."""
    return [
        (*row, tuple(Member.objects.get(pk=row[0]).pathologies.values_list("pk", flat=True)))
        for row in Member.objects.order_by("pk").values_list("pk", *PROFILE_FIELDS)
    ]


@pytest.fixture
def pathologies(tenant):
    return [members.pathology_create(name=name) for name in ("Cancer du poumon", "Lymphome")]


@pytest.fixture
def alize(tenant):
    return make_user("Alizé")


def form_data(pathologies, **overrides) -> dict:
    data = {
        "profile_type": "former_patient",
        "pathologies": [pathologies[1].pk],
        "department": "33",
        "bio": "Randonneuse, en rémission depuis deux ans.",
        "visibility_profile_type": "network",
        "visibility_pathologies": "nobody",
        "visibility_region": "spaces",
        "visibility_bio": "network",
        "visibility_avatar": "spaces",
    }
    data.update(overrides)
    return data


def jpeg_with_metadata(size=(1200, 900)) -> bytes:
    """A real JPEG carrying a camera make and a GPS position in its EXIF."""
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "AppareilEspion"  # Make
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps.update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(BytesIO(data)) as check:  # the fixture really carries what we strip
        assert check.getexif()[0x010F] == "AppareilEspion"
        assert check.getexif().get_ifd(0x8825)[1] == "N"
    return data


def avatar_files(settings, tenant) -> list:
    folder = settings.MEDIA_ROOT / tenant.schema_name / "avatars"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- Who may edit ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("other network's admin", 302),
        ("member", 200),
        ("moderator", 200),
        ("admin", 200),
    ],
)
def test_only_a_member_of_this_network_edits_a_profile(
    client_as, tenant, other_tenant, client_for, pathologies, who, status
):
    if who == "anonymous":
        client = client_for(tenant)
    elif who == "other network's admin":
        with tenant_context(other_tenant):
            intruder = make_user("Intrus", role=Role.ADMIN)
            their_session = client_as(intruder, network=other_tenant).cookies
        client = client_for(tenant)
        client.cookies = their_session  # their cookie, on this network's host
    else:
        client = client_as(make_user("Quelquun", role=who))
    before = snapshot()

    assert client.get(EDIT).status_code == status
    response = client.post(EDIT, form_data(pathologies))
    if status in (302, 404):  # refused: signed out goes to sign in, the rest reads missing
        assert response.status_code == status
        assert snapshot() == before
    else:
        assert response.status_code == 302
        member = Member.objects.get(user__username="Quelquun")
        assert member.bio == "Randonneuse, en rémission depuis deux ans."


def test_the_refusal_is_the_same_redirect_as_a_missing_page(tenant, client_for):
    refused = client_for(tenant).get(EDIT)
    missing = client_for(tenant).get("/nulle-part/")
    assert refused.status_code == missing.status_code == 302
    # Only the page asked for differs, kept to come back to after signing in.
    assert refused["Location"] == f"/comptes/login/?next={EDIT}"
    assert missing["Location"] == "/comptes/login/?next=/nulle-part/"
    assert refused.content == missing.content


# --- Saving ----------------------------------------------------------------------------------


def test_a_member_saves_their_profile(tenant, client_as, pathologies, alize):
    client = client_as(alize)
    page = client.get(EDIT)
    assert page.status_code == 200
    assert '<html lang="fr">' in page.content.decode()

    response = client.post(EDIT, form_data(pathologies), follow=True)

    assert response.redirect_chain == [("/membres/Aliz%C3%A9/", 302)]
    member = Member.objects.get(user=alize)
    assert member.profile_type == "former_patient"
    assert member.department == "33"
    assert member.bio == "Randonneuse, en rémission depuis deux ans."
    assert list(member.pathologies.all()) == [pathologies[1]]
    assert (member.visibility_pathologies, member.visibility_region) == ("nobody", "spaces")
    assert "Nouvelle-Aquitaine" in response.content.decode()
    # Another member is untouched.
    other = make_user("Autre")
    before = snapshot()
    client.post(EDIT, form_data(pathologies, bio="Deuxième version."))
    after = snapshot()
    assert [row for row in after if row[0] == other.member.pk] == [
        row for row in before if row[0] == other.member.pk
    ]


def test_an_invalid_profile_is_shown_again_with_its_errors(tenant, client_as, pathologies, alize):
    client = client_as(alize)
    before = snapshot()
    response = client.post(
        EDIT, form_data(pathologies, visibility_bio="everyone", department="99", bio="Gardé.")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"visibility_bio", "department"}
    assert "Gardé." in response.content.decode()
    assert snapshot() == before


# --- The avatar ------------------------------------------------------------------------------


def test_an_avatar_is_stored_re_encoded_without_its_exif(
    tenant, client_as, pathologies, alize, settings
):
    client = client_as(alize)
    upload = SimpleUploadedFile("vacances.jpg", jpeg_with_metadata(), content_type="image/jpeg")

    response = client.post(EDIT, {**form_data(pathologies), "avatar": upload})

    assert response.status_code == 302
    member = Member.objects.get(user=alize)
    assert member.avatar.name.startswith("avatars/")
    stored = avatar_files(settings, tenant)
    assert len(stored) == 1
    assert stored[0] == settings.MEDIA_ROOT / tenant.schema_name / member.avatar.name
    raw = stored[0].read_bytes()
    assert b"AppareilEspion" not in raw
    with Image.open(stored[0]) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 512
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    # Served on this network's host only, under the tenant's media.
    assert client.get(member.avatar.url).status_code == 200


def test_a_20_mb_file_is_refused_and_nothing_is_stored(
    tenant, client_as, pathologies, alize, settings
):
    client = client_as(alize)
    before = snapshot()
    huge = SimpleUploadedFile(
        "enorme.jpg", jpeg_with_metadata(size=(64, 64)) + b"\0" * (20 * 1024 * 1024), "image/jpeg"
    )
    response = client.post(EDIT, {**form_data(pathologies, bio="Texte tapé."), "avatar": huge})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["avatar"]
    assert "2" in errors["avatar"][0]  # the limit is stated
    assert "Texte tapé." in response.content.decode()
    assert snapshot() == before
    assert avatar_files(settings, tenant) == []


def test_a_pdf_named_jpg_is_refused_and_what_was_typed_is_kept(
    tenant, client_as, pathologies, alize, settings
):
    client = client_as(alize)
    before = snapshot()
    pdf = SimpleUploadedFile(
        "photo.jpg", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "image/jpeg"
    )
    data = form_data(pathologies, bio="Ma présentation tapée.", department="2A")
    response = client.post(EDIT, {**data, "avatar": pdf})

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["avatar"]
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_avatar_error">' in html
    assert "Ma présentation tapée." in html
    assert '<option value="2A" selected>' in html
    assert f'value="{pathologies[1].pk}" id="id_pathologies_1" checked' in html
    assert snapshot() == before
    assert avatar_files(settings, tenant) == []


# --- What others see -------------------------------------------------------------------------


@pytest.fixture
def shown(tenant, pathologies, settings):
    """Alizé, a patient, who chose a different audience for each part of her profile."""
    user = make_user("Alizé")
    members.profile_update(
        member=user.member,
        pathologies=[pathologies[1]],
        department="33",
        bio="Randonneuse.",
        visibility_profile_type="network",
        visibility_pathologies="spaces",
        visibility_region="nobody",
        visibility_bio="spaces",
    )
    return user


EVERYTHING = {"profile_type", "pathologies", "region", "bio"}


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("herself", EVERYTHING),
        ("patient", {"profile_type", "pathologies", "bio"}),  # shares the Patients space
        ("former patient", {"profile_type", "pathologies", "bio"}),
        ("caregiver", {"profile_type"}),  # not in the Patients space
        ("moderator", EVERYTHING),
    ],
)
def test_each_part_of_a_profile_shows_to_the_audience_its_owner_chose(
    tenant, client_as, shown, viewer, visible, django_assert_max_num_queries
):
    if viewer == "herself":
        user = shown
    elif viewer == "moderator":
        user = make_user("Veilleur", role=Role.MODERATOR, profile_type=ProfileType.CAREGIVER)
    else:
        profile_type = {
            "patient": ProfileType.PATIENT,
            "former patient": ProfileType.FORMER_PATIENT,
            "caregiver": ProfileType.CAREGIVER,
        }[viewer]
        user = make_user("Lecteur", profile_type=profile_type)
    client = client_as(user)

    client.get("/")  # first request of the hour records the visit (last_seen)
    with django_assert_max_num_queries(10):
        response = client.get("/membres/Aliz%C3%A9/")

    assert response.status_code == 200
    assert set(response.context["fields"]) - {"avatar"} == visible
    html = response.content.decode()
    texts = {
        "pathologies": "Lymphome",
        "region": "Nouvelle-Aquitaine",
        "bio": "Randonneuse.",
    }
    for field, text in texts.items():
        assert (text in html) == (field in visible), field
    assert "<h1>Alizé</h1>" in html


@pytest.mark.parametrize("who", ["anonymous", "other network's member"])
def test_a_profile_is_hidden_outside_the_network(
    client_as, tenant, other_tenant, client_for, shown, who
):
    client = client_for(tenant)
    if who != "anonymous":
        with tenant_context(other_tenant):
            # Same pseudonym on the other network: still someone else.
            stranger = make_user("Alizé")
            client.cookies = client_as(stranger, network=other_tenant).cookies
    response = client.get("/membres/Aliz%C3%A9/")
    assert response.status_code == 302  # signed out here: sent to sign in
    assert response["Location"].startswith("/comptes/login/?next=")
    assert "Randonneuse." not in response.content.decode()


def test_an_unknown_or_suspended_member_is_not_found(tenant, client_as, shown):
    viewer = make_user("Lecteur")
    admin = make_user("Gardienne", role=Role.ADMIN)
    client = client_as(viewer)
    assert client.get("/membres/Personne/").status_code == 404
    members.member_suspend(actor=admin.member, member=shown.member, reason="test", until=None)
    assert client.get("/membres/Aliz%C3%A9/").status_code == 404

"""A network's icon (favicon, home-screen icon, social preview): its logo as a clean square
PNG, or its initials on its colour; public; never another network's."""

import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, RequestFactory
from django_tenants.utils import schema_context, tenant_context
from PIL import Image

from tenants.colors import brand_palette
from tenants.context_processors import branding as branding_context
from tenants.links import tenant_base_url
from tenants.models import Branding
from tests.fixtures import host_of

pytestmark = pytest.mark.django_db


def picture(response) -> Image.Image:
    assert response["Content-Type"] == "image/png"
    image = Image.open(BytesIO(response.content))
    assert image.format == "PNG"
    return image


def logo_file(color: str, *, exif: bool = False) -> ContentFile:
    """A 300×200 JPEG of one colour, with GPS coordinates in its EXIF when asked."""
    image = Image.new("RGB", (300, 200), color)
    out = BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "Camera maker"  # Make
        data[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS: Paris
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    return ContentFile(out.getvalue())


def set_logo(network, color: str, *, name: str = "branding/logo.jpg", exif: bool = False) -> str:
    with tenant_context(network):
        saved = default_storage.save(name, logo_file(color, exif=exif))
    update_branding(network, logo=saved)
    return saved


def update_branding(network, **fields) -> None:
    """Saved as the admin's settings page does, so the host cache forgets the old one."""
    branding = Branding.objects.get(tenant=network)
    for name, value in fields.items():
        setattr(branding, name, value)
    branding.save()


def centre(image: Image.Image) -> tuple[int, ...]:
    return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    """Equal but for JPEG's rounding."""
    return all(abs(a - b) <= 8 for a, b in zip(colour, expected, strict=True))


@pytest.mark.parametrize(("path", "size"), [
    ("/icone/32.png", 32), ("/icone/180.png", 180), ("/icone/512.png", 512),
    ("/favicon.ico", 32), ("/apple-touch-icon.png", 180),
])  # fmt: skip
def test_without_a_logo_the_icon_is_the_initials_on_the_primary_colour(
    tenant, client_as, path, size
):
    response = client_as("anonymous").get(path)
    assert response.status_code == 200
    image = picture(response)
    assert image.size == (size, size)
    corner = image.convert("RGB").getpixel((0, 0))
    primary = brand_palette(tenant.branding.primary_color, tenant.branding.accent_color)["primary"]
    assert "#{:02x}{:02x}{:02x}".format(*corner) == primary
    # The initials are drawn in the readable colour: not one flat square.
    assert len(image.convert("RGB").getcolors(maxcolors=100_000)) > 1
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


@pytest.mark.parametrize("path", ["/icone/64.png", "/icone/0.png", "/icone/99999.png"])
def test_other_sizes_do_not_exist(tenant, client_as, path):
    assert client_as("member").get(path).status_code == 404


def test_the_logo_is_served_square_as_a_png_without_its_metadata(tenant, client_as):
    set_logo(tenant, "#c00000", exif=True)
    for size in (32, 180, 512):
        response = client_as("anonymous").get(f"/icone/{size}.png")
        image = picture(response)
        assert image.size == (size, size)
        assert near(centre(image), (192, 0, 0))  # the logo's own colour, not the monogram's
        assert "exif" not in image.info
        assert not image.getexif()
        assert set(image.info) <= {"dpi", "gamma", "transparency"}, image.info


def test_a_new_logo_gives_a_new_icon(tenant, client_as):
    set_logo(tenant, "#c00000")
    first = client_as("anonymous").get("/icone/180.png")
    set_logo(tenant, "#0000c0", name="branding/other.jpg")
    second = client_as("anonymous").get("/icone/180.png")
    assert near(centre(picture(second)), (0, 0, 192))
    assert first["ETag"] != second["ETag"]


def test_an_unreadable_logo_falls_back_to_the_initials(tenant, client_as):
    with tenant_context(tenant):
        saved = default_storage.save("branding/broken.png", ContentFile(b"\x89PNG not really"))
    update_branding(tenant, logo=saved)
    image = picture(client_as("anonymous").get("/icone/512.png"))
    primary = brand_palette(tenant.branding.primary_color, tenant.branding.accent_color)["primary"]
    assert "#{:02x}{:02x}{:02x}".format(*image.convert("RGB").getpixel((0, 0))) == primary


def test_another_networks_logo_is_never_served(tenant, other_tenant, client_as):
    # Beta has a blue logo; alpha's branding names the very same file, which only exists
    # in beta's folder, and both brandings hash alike: same name, colours and file name.
    blue = set_logo(other_tenant, "#0000c0")
    update_branding(
        tenant,
        logo=blue,
        primary_color=other_tenant.branding.primary_color,
        accent_color=other_tenant.branding.accent_color,
        display_name=other_tenant.branding.display_name,
    )
    # Beta's icon first, so that its picture is in the cache.
    beta = client_as("anonymous", network=other_tenant).get("/icone/180.png")
    assert near(centre(picture(beta)), (0, 0, 192))
    alpha = client_as("anonymous").get("/icone/180.png")
    assert not near(centre(picture(alpha)), (0, 0, 192))


def test_a_warm_icon_costs_no_query(tenant, client_as, django_assert_num_queries):
    client = client_as("anonymous")
    client.get("/icone/32.png")  # resolves the host, draws and caches the picture
    with django_assert_num_queries(0):
        assert client.get("/icone/32.png").status_code == 200


def test_every_page_links_the_icon_and_its_social_preview(tenant, client_as):
    page = client_as("anonymous").get("/").content.decode()
    assert '<link rel="icon" type="image/png" sizes="32x32" href="/icone/32.png">' in page
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in page
    # Absolute, on the network's primary domain whatever host the request named.
    site = tenant_base_url(tenant)
    assert f'<meta property="og:image" content="{site}/icone/512.png">' in page
    assert f'<meta property="og:title" content="{tenant.branding.display_name}">' in page


def test_the_palette_reaches_the_page(tenant, client_as):
    update_branding(tenant, primary_color="#ffff00")
    client = client_as("anonymous")
    page = client.get("/").content.decode()
    # The page links the palette's own stylesheet (tenants.theme: no inline style, CSP).
    stylesheet = re.search(r'<link rel="stylesheet" href="(/couleurs/[0-9a-f]+\.css)">', page)
    css = client.get(stylesheet.group(1)).content.decode()
    palette = brand_palette("#ffff00", tenant.branding.accent_color)
    assert f"--primary: {palette['primary']};" in css
    assert "--brand: #ffff00;" in css


def test_the_social_preview_falls_back_to_a_lookup_without_a_resolved_domain(tenant):
    request = RequestFactory().get("/", HTTP_HOST="anything.example")
    request.tenant = tenant  # as set by hand, without the host middleware's primary domain
    request.resolver_match = None
    tenant.__dict__.pop("primary_domain", None)
    context = branding_context(request)
    assert context["brand_icon_url"] == f"{tenant_base_url(tenant)}/icone/512.png"
    assert host_of(tenant) in context["brand_icon_url"]


def test_a_browser_that_has_the_icon_is_told_it_did_not_change(tenant, client_as):
    client = client_as("anonymous")
    first = client.get("/favicon.ico")
    again = client.get("/favicon.ico", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    # Another colour is another icon: sent again in full.
    update_branding(tenant, primary_color="#0b6e4f")
    changed = client.get("/favicon.ico", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("path", ["/favicon.ico", "/apple-touch-icon.png", "/icone/512.png"])
def test_the_platforms_domain_has_its_own_icon(path):
    """The platform's pages link an icon too: its name's initials in the default colours."""
    with schema_context("public"):
        response = Client(HTTP_HOST="localhost").get(path)
        home = Client(HTTP_HOST="localhost").get("/").content.decode()
    assert response.status_code == 200
    assert picture(response).size[0] in (32, 180, 512)
    assert 'rel="icon"' in home and "/favicon.ico" not in home

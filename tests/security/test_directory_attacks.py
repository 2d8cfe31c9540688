"""An outside tester's attacks on the platform's directory: unpublished and refused listings
through every path, the claim link forged or replayed by another account, a manager editing
another listing, API writes without an operator (no way around the proposal form's spam
defence), CSV formulas, scripts in Markdown and proposals, an SVG logo, hostile Host
headers. Public schema, on the platform's domain ("localhost")."""

import csv
import io
import re
import time

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory import forms, services
from shared_apps.directory.models import Association, DirectoryEvent, Initiative, Resource, Review
from tests.directory import browse_data as data
from tests.directory.test_claim import manage_data, png_with_exif
from tests.directory.test_contrib import association_data, operator, platform_account
from tests.jobs import JobQueue, committed

pytestmark = pytest.mark.django_db

HIDDEN = ("Cachee Proposee", "Cachee Refusee")
MEGABYTE = "a" * (1024 * 1024)


@pytest.fixture
def platform(db):
    with schema_context("public"):
        provisioning.platform_ensure()
        yield


def client(user=None, **options) -> Client:
    c = Client(HTTP_HOST="localhost", **options)
    if user is not None:
        c.force_login(user)
    return c


def token(submission: str) -> str:
    return signing.dumps({"t": int(time.time() - 60), "n": submission}, salt=forms.TIMESTAMP_SALT)


@pytest.fixture
def listings(platform):
    """One published row of each kind and, beside each, a proposed and a refused one with the
    same pathology, région and département (Bretagne, Finistère)."""
    lung = data.pathology("Mucoviscidose")
    made = {"pathology": lung}
    for review, label in ((Review.PUBLISHED, "Visible Publiee"), (Review.PROPOSED, HIDDEN[0]),
                          (Review.REFUSED, HIDDEN[1])):  # fmt: skip
        made[("association", review)] = data.association(
            label, pathologies=[lung], review=review, regions=["53"], departments=["29"],
            contact_email="contact@example.org",
        )  # fmt: skip
        made[("initiative", review)] = data.initiative(
            label, pathologies=[lung], review=review, region="53", department="29"
        )
        made[("event", review)] = data.event(label, pathologies=[lung], review=review, region="53")
    made["draft_resource"] = data.resource("Cachee Brouillon", published=False)
    return made


def _no_hidden(response, where):
    text = response.content.decode(errors="replace")
    for name in (*HIDDEN, "Cachee Brouillon"):
        assert name not in text, (where, name)


def test_unpublished_and_refused_listings_never_show(listings):
    c = client()
    pages = [
        "/", "/annuaire/recherche/", "/annuaire/recherche/?q=cachee",
        "/annuaire/recherche/?q=Cach%C3%A9e&regions=53", "/annuaire/associations/",
        "/annuaire/associations/?departments=29", "/annuaire/initiatives/",
        "/annuaire/ressources/", "/annuaire/agenda/", "/annuaire/agenda/agenda.ics",
        "/annuaire/carte/", "/annuaire/carte/departements/", "/annuaire/paysage/",
        "/annuaire/export.csv?kind=association", "/annuaire/export.csv?kind=initiative",
        "/annuaire/export.csv?kind=event", "/annuaire/export.csv?kind=resource",
        "/api/annuaire/associations/", "/api/annuaire/initiatives/?q=cachee",
        "/api/annuaire/evenements/", "/api/annuaire/ressources/",
        "/api/annuaire/facettes/?q=cachee",
    ]  # fmt: skip
    for path in pages:
        response = client().get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")
        for name in (*HIDDEN, "Cachee Brouillon"):
            assert name not in text, (path, name)
    for review in (Review.PROPOSED, Review.REFUSED):
        association = listings[("association", review)]
        initiative = listings[("initiative", review)]
        event = listings[("event", review)]
        for path in (
            f"/annuaire/associations/{association.slug}/",
            f"/annuaire/initiatives/{initiative.slug}/",
            f"/annuaire/agenda/{event.pk}/",
            f"/api/annuaire/associations/{association.pk}/",
            f"/api/annuaire/initiatives/{initiative.pk}/",
            f"/api/annuaire/evenements/{event.pk}/",
            f"/annuaire/associations/{association.slug}/revendiquer/",
        ):
            assert c.get(path).status_code == 404, path
    draft = listings["draft_resource"]
    assert c.get(f"/annuaire/ressources/{draft.slug}/").status_code == 404
    assert c.get(f"/api/annuaire/ressources/{draft.pk}/").status_code == 404


def test_counts_of_facets_and_map_hold_published_rows_only(listings):
    facets = client().get("/api/annuaire/facettes/?pathologies=" + str(listings["pathology"].pk))
    assert facets.status_code == 200
    text = str(facets.json())
    assert "Cachee" not in text
    # The map: Bretagne (53) and Finistère (29) each count one association and one initiative.
    for path, code in (("/annuaire/carte/", "53"), ("/annuaire/carte/departements/", "29")):
        response = client().get(path)
        (area,) = [a for a in response.context["france"].areas if a.code == code]
        counted = {name: value for name, value in vars(area).items() if isinstance(value, int)}
        assert counted and max(counted.values()) <= 2, counted


# --- claims and managers ----------------------------------------------------------------------


def _claim_path(association) -> str:
    queue = JobQueue()
    with committed():
        assert (
            client().post(f"/annuaire/associations/{association.slug}/revendiquer/").status_code
            == 302
        )
    queue.run()
    (message,) = mail.outbox
    (link,) = re.findall(r"https?://\S+/annuaire/revendiquer/\S+/", message.body)
    mail.outbox.clear()
    return link.split("localhost", 1)[1]


def test_a_used_claim_link_cannot_be_replayed_by_another_account(listings):
    association = listings[("association", Review.PUBLISHED)]
    path = _claim_path(association)
    iris, mallory = platform_account("Iris"), platform_account("Mallory")
    assert client(iris).post(path).status_code == 302
    replay = client(mallory).post(path)
    assert replay.status_code == 404
    association.refresh_from_db()
    assert list(association.managers.all()) == [iris]


def test_claim_requests_from_many_addresses_cannot_flood_the_contact(listings):
    """Whoever asks, from however many addresses: one link per listing for a while, and every
    asker reads the same answer."""
    association = listings[("association", Review.PUBLISHED)]
    queue = JobQueue()
    answers = []
    with committed():
        for n in range(6):
            c = client(REMOTE_ADDR=f"198.51.100.{n + 1}")
            response = c.post(f"/annuaire/associations/{association.slug}/revendiquer/")
            answers.append((response.status_code, response["Location"]))
    queue.run()
    assert len(set(answers)) == 1 and answers[0][0] == 302
    assert len(mail.outbox) == 1


def test_a_claim_link_of_one_listing_claims_no_other(listings):
    published = listings[("association", Review.PUBLISHED)]
    refused = listings[("association", Review.REFUSED)]
    # A link signed for the refused listing (as if sent before the refusal) claims nothing.
    refused_token = services.claim_token(refused)
    mallory = platform_account("Mallory")
    assert client(mallory).post(f"/annuaire/revendiquer/{refused_token}/").status_code == 404
    assert not refused.managers.exists() and not published.managers.exists()


def test_a_manager_cannot_touch_another_listing(listings):
    mine = listings[("association", Review.PUBLISHED)]
    other = data.association("Autre Publiee", contact_email="autre@example.org")
    proposed = listings[("association", Review.PROPOSED)]
    iris = platform_account("Iris")
    mine.managers.add(iris)
    c = client(iris)
    for target in (other, proposed):
        before = (target.name, target.description, target.confirmed_at)
        assert c.get(f"/annuaire/gerer/{target.slug}/").status_code == 404
        edit = c.post(f"/annuaire/gerer/{target.slug}/", manage_data(name="Piratee"))
        assert edit.status_code == 404
        assert c.post(f"/annuaire/gerer/{target.slug}/a-jour/").status_code == 404
        target.refresh_from_db()
        assert (target.name, target.description, target.confirmed_at) == before
    managed = c.get("/annuaire/gerer/")
    assert "Autre Publiee" not in managed.content.decode()


def test_an_svg_or_fake_logo_is_refused_and_exif_is_gone(listings):
    association = listings[("association", Review.PUBLISHED)]
    iris = platform_account("Iris")
    association.managers.add(iris)
    c = client(iris)
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
           b"<script>alert(1)</script></svg>")  # fmt: skip
    for name, content, kind in (
        ("logo.svg", svg, "image/svg+xml"),
        ("logo.png", svg, "image/png"),
        ("logo.png", b"GIF89a" + svg, "image/gif"),
    ):
        upload = SimpleUploadedFile(name, content, content_type=kind)
        response = c.post(
            f"/annuaire/gerer/{association.slug}/", {**manage_data(), "new_logo": upload}
        )
        assert response.status_code == 200 and "new_logo" in response.context["form"].errors
    association.refresh_from_db()
    assert not association.logo
    jpeg = SimpleUploadedFile("logo.png", png_with_exif(), content_type="image/png")
    assert (
        c.post(
            f"/annuaire/gerer/{association.slug}/", {**manage_data(), "new_logo": jpeg}
        ).status_code
        == 302
    )
    association.refresh_from_db()
    with association.logo.open("rb") as stored:
        assert b"Camille" not in stored.read()
    assert association.logo.name.endswith((".png", ".jpg", ".jpeg", ".webp"))


# --- the API's writes, the proposal form's defences -------------------------------------------


def test_api_writes_need_an_operator(platform):
    body = {"name": "Par l'API", "description": "Sans formulaire."}
    plain = platform_account("Iris")
    for who in (None, plain):
        c = client(who)
        for path in ("/api/annuaire/associations/", "/api/annuaire/initiatives/",
                     "/api/annuaire/evenements/", "/api/annuaire/ressources/"):  # fmt: skip
            response = c.post(path, body, "application/json")
            assert response.status_code == 404, (path, response.status_code)
    assert not Association.objects.filter(name="Par l'API").exists()
    assert Association.objects.count() == 0 and Initiative.objects.count() == 0
    assert DirectoryEvent.objects.count() == 0 and Resource.objects.count() == 0


def test_an_operator_api_write_needs_the_csrf_token(platform):
    c = client(operator(), enforce_csrf_checks=True)
    response = c.post(
        "/api/annuaire/associations/",
        {"name": "Forcee", "description": "CSRF."},
        "application/json",
    )
    assert response.status_code == 403
    assert not Association.objects.exists()


def test_the_rate_limit_does_not_follow_a_forged_forwarded_address(platform, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "directory.propose": "2/hour"}
    statuses = []
    for number in range(3):
        c = client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        response = c.post(
            "/annuaire/proposer/association/",
            association_data(name=f"Robot {number}", started=token(f"fwd{number}")),
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert Association.objects.count() == 2


def test_a_megabyte_in_every_field_of_the_proposal_forms(platform):
    for kind, fields in (
        ("association", ("name", "description", "website", "contact_email", "rna")),
        ("initiative", ("title", "description", "motivation", "success_text")),
        ("evenement", ("title", "summary", "place", "network_name")),
    ):
        for n, name in enumerate(fields):
            from tests.directory.test_contrib import event_data, initiative_data

            base = {"association": association_data, "initiative": initiative_data,
                    "evenement": event_data}[kind]  # fmt: skip
            response = client(REMOTE_ADDR=f"192.0.2.{len(kind) * 10 + n}").post(
                f"/annuaire/proposer/{kind}/",
                base(**{name: MEGABYTE, "started": token(f"{kind}{n}")}),
            )
            assert response.status_code in (200, 404), (kind, name, response.status_code)
            if response.status_code == 200:
                assert response.context["form"].errors, (kind, name)
    assert Association.objects.count() == Initiative.objects.count() == 0
    assert DirectoryEvent.objects.count() == 0


def test_api_filters_with_a_megabyte_or_junk_are_no_500(listings):
    for query in (f"q={MEGABYTE[:200000]}", "regions=" + "9" * 5000, "pathologies=abc",
                  "page=-1", "page_size=100000", "pathologies=99999999999999999999",
                  "q=%00", "kind=../../etc"):  # fmt: skip
        for path in ("/api/annuaire/associations/", "/annuaire/recherche/",
                     "/annuaire/export.csv?kind=association&", "/api/annuaire/facettes/",
                     "/annuaire/agenda/agenda.ics"):  # fmt: skip
            glue = "&" if "?" in path and not path.endswith("&") else ("" if "?" in path else "?")
            response = client().get(f"{path}{glue}{query}")
            assert response.status_code in (200, 400, 404), (path, query[:40],
                                                             response.status_code)  # fmt: skip


# --- what is written comes out harmless -------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_defuses_formulas_in_every_cell(platform):
    formulas = ["=HYPERLINK(\"http://evil.example\")", "+SUM(1;2)", "-2+3", "@cmd",
                "\t=1+1", "\r=1+1"]  # fmt: skip
    evil = data.pathology("=cmd|' /C calc'!A0")
    for n, formula in enumerate(formulas):
        data.association(
            formula, pathologies=[evil], description=formula, website="https://x.example",
            contact_email="a@example.org",
        )  # fmt: skip
        data.initiative(formula + f" {n}", pathologies=[evil], motivation=formula,
                        success_text=formula)  # fmt: skip
    for kind in ("association", "initiative"):
        rows = _csv_rows(client().get(f"/annuaire/export.csv?kind={kind}"))
        assert len(rows) == 1 + len(formulas)
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (kind, cell)


def test_scripts_in_resources_and_proposals_are_never_run(platform):
    hostile = (
        "<script>alert('x')</script>\n\n[clic](javascript:alert(1))\n\n"
        '<img src=x onerror="alert(1)">\n\n<a href="data:text/html,<script>x</script>">d</a>'
    )
    op = operator()
    resource = services.resource_save(operator=op, title="Guide", summary="Un guide.",
                                      body=hostile, themes=[])  # fmt: skip
    services.resource_publish(resource=resource, operator=op, published=True)
    resource.refresh_from_db()
    page = client().get(f"/annuaire/ressources/{resource.slug}/")
    assert page.status_code == 200
    for text in (page.content.decode(), resource.body_html):
        assert "<script>alert" not in text
        assert not re.search(r"<[^>]*(javascript:|onerror|href=.data:)", text)
    api = client().get(f"/api/annuaire/ressources/{resource.pk}/")
    assert api["Content-Type"].startswith("application/json")  # the source, as data only
    html = api.json()["body_html"]
    assert "<script" not in html and not re.search(r"<[^>]*(javascript:|onerror|href=.data:)", html)
    # A proposal's text, shown to operators in the queue and its review page.
    proposed = association_data(
        name="<script>alert('n')</script>", description="<img src=x onerror=alert(1)>",
        started=token("xss"),
    )  # fmt: skip
    assert client().post("/annuaire/proposer/association/", proposed).status_code == 302
    row = Association.objects.get(review=Review.PROPOSED)
    signed_in = client(op)
    for path in ("/annuaire/operateurs/", f"/annuaire/operateurs/association/{row.pk}/"):
        response = signed_in.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert "<script>alert('n')" not in text and not re.search(r"<[^>]*onerror", text)


# --- hosts ------------------------------------------------------------------------------------


def test_a_hostile_host_header_reaches_no_link(listings):
    association = listings[("association", Review.PUBLISHED)]
    queue = JobQueue()
    with committed():
        for headers in ({"HTTP_HOST": "evil.example"}, {"HTTP_X_FORWARDED_HOST": "evil.example"}):
            c = Client(**{"HTTP_HOST": "localhost", **headers})
            response = c.post(f"/annuaire/associations/{association.slug}/revendiquer/")
            assert "evil.example" not in response.get("Location", "")
            assert b"evil.example" not in response.content
            page = c.get("/annuaire/agenda/agenda.ics")
            assert b"evil.example" not in page.content
    queue.run()
    for message in mail.outbox:
        assert "evil.example" not in message.body
        assert re.search(r"https?://localhost/annuaire/revendiquer/", message.body)


def test_an_event_title_cannot_inject_lines_into_the_ics_feed(platform):
    data.event(
        "Marche\r\nATTENDEE:mailto:victime@example.org\r\nX-INJ:1", place="Brest\nLOCATION:x"
    )
    feed = client().get("/annuaire/agenda/agenda.ics")
    assert feed.status_code == 200
    lines = feed.content.decode().replace("\r\n ", "").split("\r\n")
    assert not [line for line in lines if line.startswith(("ATTENDEE", "X-INJ", "LOCATION:x"))]
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_a_proposal_cannot_carry_a_script_url(platform, url):
    from tests.directory.test_contrib import event_data

    response = client().post(
        "/annuaire/proposer/association/", association_data(website=url, started=token("u1"))
    )
    assert response.status_code == 200 and "website" in response.context["form"].errors
    response = client(REMOTE_ADDR="192.0.2.99").post(
        "/annuaire/proposer/evenement/", event_data(url=url, started=token("u2"))
    )
    assert response.status_code == 200 and "url" in response.context["form"].errors
    assert not Association.objects.exists() and not DirectoryEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_of_one_proposal_make_one(drop_tenant_schemas):
    import threading

    from django.db import connection

    with schema_context("public"):
        provisioning.platform_ensure()
    form = association_data(name="Concurrente", started=token("concurrent"))
    barrier = threading.Barrier(3)
    statuses, errors = [], []

    def submit(n):
        try:
            c = client(REMOTE_ADDR=f"192.0.2.{n + 10}")
            barrier.wait(timeout=10)
            statuses.append(c.post("/annuaire/proposer/association/", form).status_code)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # The first is thanked; one sent while it is being written is told so (200, its form kept).
    assert errors == [] and 302 in statuses and set(statuses) <= {200, 302}
    with schema_context("public"):
        assert Association.objects.filter(name="Concurrente").count() == 1

"""Registration in one click, capacity and the waiting list: in a test's transaction for the
rules, and against a real server from 50 threads for the concurrency."""

import datetime
import secrets
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection
from django.http import Http404
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from provisioning import services as provisioning
from shared_apps.billing.models import Plan, Subscription
from tenant_apps.events import services
from tenant_apps.events.jobs import promotion_email
from tenant_apps.events.models import Event, Registration
from tenant_apps.members.models import ProfileType, Role, Space
from tests.events.factories import event_make
from tests.jobs import JobQueue, committed
from tests.members.factories import account

REGISTERED, WAITING = Registration.Status.REGISTERED, Registration.Status.WAITING


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


def _statuses(event) -> list[tuple[str, str]]:
    return list(event.registrations.order_by("id").values_list("member__user__username", "status"))


@pytest.mark.django_db
def test_places_then_the_waiting_list_first_come_first_served(admin, mailoutbox):
    event = event_make(author=admin, capacity=2)
    people = [account(name).member for name in ("Ana", "Ben", "Cyd", "Dee")]
    for member in people:
        services.registration_create(member=member, event=event)
    # Registering again changes nothing.
    again = services.registration_create(member=people[0], event=event)
    assert again.status == REGISTERED
    assert _statuses(event) == [
        ("Ana", REGISTERED), ("Ben", REGISTERED), ("Cyd", WAITING), ("Dee", WAITING)
    ]  # fmt: skip

    queue = JobQueue()
    with committed():
        promoted = services.registration_cancel(member=people[1], event=event)
    assert promoted.member == people[2]
    assert _statuses(event) == [("Ana", REGISTERED), ("Cyd", REGISTERED), ("Dee", WAITING)]
    assert queue.names() == ["tenant_apps.events.jobs.promotion_email"]

    queue.run()
    # Run again (a retry, a duplicate): the email went once.
    promotion_email.func.__wrapped__(registration_id=promoted.pk)
    assert [m.to for m in mailoutbox] == [["cyd@example.org"]]
    assert event.title in mailoutbox[0].subject
    assert f"/evenements/{event.pk}/" in mailoutbox[0].body

    # Leaving the waiting list frees no place.
    with committed():
        assert services.registration_cancel(member=people[3], event=event) is None
    assert _statuses(event) == [("Ana", REGISTERED), ("Cyd", REGISTERED)]


@pytest.mark.django_db
def test_more_places_go_to_those_waiting_in_order(admin):
    event = event_make(author=admin, capacity=1)
    people = [account(name).member for name in ("Ana", "Ben", "Cyd", "Dee")]
    for member in people:
        services.registration_create(member=member, event=event)
    with committed():
        services.event_update(event=event, by=admin, capacity=3)
    assert _statuses(event) == [
        ("Ana", REGISTERED), ("Ben", REGISTERED), ("Cyd", REGISTERED), ("Dee", WAITING)
    ]  # fmt: skip


@pytest.mark.django_db
def test_no_registration_to_a_cancelled_past_or_unseen_event(admin):
    bob = account("Bob").member
    carla = account("Carla", profile_type=ProfileType.CAREGIVER).member
    over = event_make(author=admin, starts_in=-datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.registration_create(member=bob, event=over)
    patients_only = event_make(author=admin, space=Space.objects.get(slug="patients"))
    with pytest.raises(Http404):
        services.registration_create(member=carla, event=patients_only)
    draft = event_make(author=admin, status=Event.Status.DRAFT)
    with pytest.raises(Http404):
        services.registration_create(member=bob, event=draft)
    assert not Registration.objects.exists()


# --- 50 members at once, against a real server ------------------------------------------------


class Server(ThreadedWSGIServer):
    # A production server's backlog (gunicorn: 2048), not socketserver's 5: 50 connections
    # at once must wait in the queue, not be reset.
    request_queue_size = 128


@pytest.fixture
def real_server():
    """Django's threaded development server (a thread per request, each with its own
    database connection) on a free port; its port."""
    server = Server(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


PEOPLE = 50
PLACES = 10


@pytest.mark.django_db(transaction=True)
def test_fifty_at_once_for_ten_places(drop_tenant_schemas, real_server, settings):
    """50 threads post the registration form to the live server at the same moment: exactly
    10 places are given, 40 people wait in the order they arrived, nobody gets an error;
    one place freed promotes exactly one person."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    provisioning.platform_ensure()
    network = provisioning.tenant_create(
        slug="gamma", name="Réseau gamma", organization_slug="asso-gamma",
        admin_email="admin@gamma.example", actor="test",
    ).tenant  # fmt: skip
    with schema_context("public"):
        host = network.domains.get(is_primary=True).domain
        # Fifty walkers and their admin: more seats than the free plan's.
        roomy, _ = Plan.objects.get_or_create(
            code="test-roomy",
            defaults={"name": "Roomy", "max_networks": 1, "max_members": 100, "max_storage_mb": 10},
        )
        Subscription.objects.update_or_create(
            organization_id=network.organization_id, defaults={"plan": roomy}
        )
    with tenant_context(network):
        admin = account("Alice", Role.ADMIN).member
        event = event_make(author=admin, capacity=PLACES)
        members = [account(f"Marcheur{n}").member for n in range(PEOPLE)]
        cookies = []
        for member in members:
            client = Client(HTTP_HOST=host)
            client.force_login(member.user)
            cookies.append(client.cookies["sessionid"].value)
    port = real_server
    url = f"http://127.0.0.1:{port}/evenements/{event.pk}/inscription/"
    start = threading.Barrier(PEOPLE)
    answers: dict[int, int] = {}

    def register(n: int) -> None:
        token = secrets.token_hex(16)  # a CSRF secret of 32 characters, as Django's cookie
        request = urllib.request.Request(
            url,
            data=urlencode({"csrfmiddlewaretoken": token}).encode(),
            headers={
                "Host": f"{host}:{port}",
                "Cookie": f"sessionid={cookies[n]}; csrftoken={token}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        opener = urllib.request.build_opener(NoRedirect)
        start.wait()
        try:
            answers[n] = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as answer:
            answers[n] = answer.code

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == dict.fromkeys(range(PEOPLE), 302)
    with tenant_context(network):
        rows = list(event.registrations.order_by("id").values_list("status", "created"))
        assert [status for status, _created in rows].count(REGISTERED) == PLACES
        assert [status for status, _created in rows].count(WAITING) == PEOPLE - PLACES
        # Places first, then the waiting list, in the order of arrival.
        assert [status for status, _created in rows] == [REGISTERED] * PLACES + [WAITING] * (
            PEOPLE - PLACES
        )
        assert [created for _status, created in rows] == sorted(c for _s, c in rows)
        waiting = list(
            event.registrations.filter(status=WAITING).order_by("id").values_list("pk", flat=True)
        )
        first_in = event.registrations.filter(status=REGISTERED).order_by("id").first()
        promoted = services.registration_cancel(member=first_in.member, event=event)
        assert promoted.pk == waiting[0]
        assert event.registrations.filter(status=REGISTERED).count() == PLACES
        assert (
            list(
                event.registrations.filter(status=WAITING)
                .order_by("id")
                .values_list("pk", flat=True)
            )
            == waiting[1:]
        )
    connection.set_schema_to_public()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

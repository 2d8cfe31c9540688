"""Authorization matrix of multidisciplinary team meetings (/rcp/, /api/pro/rcp/):
anonymous, another network's session (beta's admin), a suspended member, a patient member
(Bob), a moderator (a patient partner: not a professional by role), a verified professional
who takes no part (Victor), a verified professional taking part in the coming meeting
(Pierre, surgeon), the series' coordinator (Coline, verified), an admin. Everyone who is not a
professional gets 404 (or sign-in for signed-out visitors) and nothing changes; reads assert
which meetings and cases come back."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.members.models import Member
from tenant_apps.pro.models import Profession, RcpCase, RcpMeeting, RcpParticipant, RcpSeries
from tests.matrix import Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_network", "suspended", "member", "moderator", "pro",
         "participant", "coordinator", "admin")  # fmt: skip
READERS = frozenset({"pro", "participant", "coordinator", "admin"})
ADDERS = frozenset({"participant", "coordinator", "admin"})
MANAGERS = frozenset({"coordinator", "admin"})
ADMIN = frozenset({"admin"})


@pytest.fixture(scope="module")
def rcp_world(shared_world, session_networks, django_db_blocker):
    """The thoracic RCP (quorum: medical oncologist and surgeon), coordinated by Coline: a
    meeting in three days where Pierre confirmed as surgeon (so it lacks its oncologist) with
    one case, and one that started an hour ago with one case to decide."""
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        people = {name: account(name).member for name in ("Victor", "Pierre", "Coline")}
        Member.objects.filter(pk__in=[m.pk for m in people.values()]).update(
            verified_professional=True
        )
        w.vera, w.pierre, w.cora = (Member.objects.get(pk=m.pk) for m in people.values())
        w.series = RcpSeries.objects.create(
            name="RCP thoracique", slug="rcp-thoracique", organ="Thorax", weekday=1,
            start_time=time(12, 30), quorum=["medical_oncologist", "surgeon"],
            coordinator=w.cora,
        )  # fmt: skip
        now = timezone.now()
        w.coming = RcpMeeting.objects.create(
            series=w.series, starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=1, minutes=30),
        )  # fmt: skip
        w.started = RcpMeeting.objects.create(
            series=w.series, starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(minutes=30),
        )  # fmt: skip
        RcpParticipant.objects.create(
            meeting=w.coming, member=w.pierre, profession="surgeon",
            attendance=RcpParticipant.Attendance.CONFIRMED,
        )  # fmt: skip
        RcpParticipant.objects.create(meeting=w.started, member=w.pierre, profession="surgeon")
        w.agenda_case = RcpCase.objects.create(meeting=w.coming, reference="IPP 2025-000111")
        w.open_case = RcpCase.objects.create(meeting=w.started, reference="IPP 2025-000222")
        w.people.update({"pro": w.vera, "participant": w.pierre, "coordinator": w.cora})
    return w


@pytest.fixture
def world(rcp_world, tenant):
    return rcp_world


@pytest.fixture
def role_accounts(rcp_world):
    w = rcp_world
    return {**w.accounts, "pro": w.vera.user, "participant": w.pierre.user,
            "coordinator": w.cora.user}  # fmt: skip


def _list(response, w, role):
    rows = response.context["rows"]
    assert [row.meeting.pk for row in rows] == [w.started.pk, w.coming.pk]
    assert rows[1].missing == [str(Profession.MEDICAL_ONCOLOGIST.label)]


def _meeting(response, w, role):
    page = response.context["page"]
    assert [c.pk for c in page.cases] == [w.agenda_case.pk]
    assert [p.member_id for p in page.participants] == [w.pierre.pk]


def _confirmed(response, w, role):
    return RcpParticipant.objects.filter(
        meeting=w.coming, member=w.people[role], attendance="confirmed"
    ).exists()


def _present(response, w, role):
    return RcpParticipant.objects.get(meeting=w.started, member=w.pierre).attendance == "present"


def _case_added(response, w, role):
    return w.coming.cases.filter(reference="RCP-THX-2025-0042").exists()


def _decided(response, w, role):
    case = RcpCase.objects.get(pk=w.open_case.pk)
    return (case.decision, case.decision_reference) == ("surgery", "RCP-THX-2025-0099")


def _minutes(response, w, role):
    meeting = RcpMeeting.objects.get(pk=w.started.pk)
    return (meeting.minutes, meeting.status) == ("Deux dossiers.", "held")


def _ics(response, w, role):
    body = response.content.decode()
    assert f"UID:rcp-{w.coming.uid}@" in body
    assert "METHOD:REQUEST" in body


def _moved(response, w, role):
    meeting = RcpMeeting.objects.get(pk=w.coming.pk)
    return (meeting.place, meeting.sequence) == ("Salle 2", 1) and meeting.slot is not None


def _cancelled(response, w, role):
    meeting = RcpMeeting.objects.get(pk=w.coming.pk)
    return (meeting.status, meeting.cancel_reason, meeting.sequence) == ("cancelled", "Congrès", 1)


def _invited(response, w, role):
    return RcpParticipant.objects.filter(
        meeting=w.coming, member=w.vera, profession="radiologist", attendance="invited"
    ).exists()


def _four_days_on(w) -> dict:
    day = (timezone.localtime() + timedelta(days=4)).date()
    return {"day": day.isoformat(), "start_time": "14:00", "duration_minutes": "60",
            "place": "Salle 2", "join_url": ""}  # fmt: skip


def _series_created(response, w, role):
    return RcpSeries.objects.filter(name="RCP digestive").exists()


def _api_list(response, w, role):
    rows = response.json()
    assert [r["id"] for r in rows] == [w.started.pk, w.coming.pk]


def _api_meeting(response, w, role):
    assert [c["id"] for c in response.json()["cases"]] == [w.agenda_case.pk]


ROUTES = {
    "rcp:list": Route("get", lambda w: "/rcp/", READERS, roles=ROLES, check=_list),
    "rcp:series_create": Route("get", lambda w: "/rcp/nouvelle-serie/", ADMIN, roles=ROLES),
    "rcp:series": Route(
        "get",
        lambda w: f"/rcp/series/{w.series.slug}/",
        READERS,
        roles=ROLES,
        check=lambda r, w, role: r.context["series"] == w.series,
    ),  # fmt: skip
    "rcp:meeting": Route(
        "get", lambda w: f"/rcp/reunions/{w.coming.pk}/", READERS, roles=ROLES, check=_meeting
    ),
    "rcp:attendance": Route(
        "post",
        lambda w: f"/rcp/reunions/{w.coming.pk}/participation/",
        READERS,
        status=302,
        roles=ROLES,
        data=lambda w: {"attending": "1", "profession": "medical_oncologist"},
        check=_confirmed,
    ),  # fmt: skip
    "rcp:presence": Route(
        "post",
        lambda w: f"/rcp/reunions/{w.started.pk}/presences/",
        MANAGERS,
        status=302,
        roles=ROLES,
        data=lambda w: {"present": [w.pierre.pk]},
        check=_present,
    ),  # fmt: skip
    "rcp:case_add": Route(
        "post",
        lambda w: f"/rcp/reunions/{w.coming.pk}/dossiers/",
        ADDERS,
        status=302,
        roles=ROLES,
        data=lambda w: {"reference": "RCP-THX-2025-0042"},
        check=_case_added,
    ),  # fmt: skip
    "rcp:decision": Route(
        "post",
        lambda w: f"/rcp/dossiers/{w.open_case.pk}/decision/",
        MANAGERS,
        status=302,
        roles=ROLES,
        data=lambda w: {"decision": "surgery", "decision_reference": "RCP-THX-2025-0099"},
        check=_decided,
    ),  # fmt: skip
    "rcp:minutes": Route(
        "get", lambda w: f"/rcp/reunions/{w.started.pk}/compte-rendu/", READERS, roles=ROLES
    ),
    "rcp:ics": Route(
        "get",
        lambda w: f"/rcp/reunions/{w.coming.pk}/invitation.ics",
        READERS,
        roles=ROLES,
        check=_ics,
    ),  # fmt: skip
    "api_rcp_meetings": api(
        "get", lambda w: "/api/pro/rcp/meetings/", READERS, roles=ROLES, check=_api_list
    ),
    "api_rcp_meeting": api(
        "get",
        lambda w: f"/api/pro/rcp/meetings/{w.coming.pk}/",
        READERS,
        roles=ROLES,
        check=_api_meeting,
    ),  # fmt: skip
    "api_rcp_case_add": api(
        "post",
        lambda w: f"/api/pro/rcp/meetings/{w.coming.pk}/cases/",
        ADDERS,
        status=201,
        roles=ROLES,
        data=lambda w: {"reference": "RCP-THX-2025-0042"},
        check=_case_added,
    ),  # fmt: skip
    "rcp:meeting_edit": Route(
        "get", lambda w: f"/rcp/reunions/{w.coming.pk}/modifier/", MANAGERS, roles=ROLES
    ),
    "rcp:meeting_cancel": Route(
        "post",
        lambda w: f"/rcp/reunions/{w.coming.pk}/annuler/",
        MANAGERS,
        status=302,
        roles=ROLES,
        data=lambda w: {"reason": "Congrès"},
        check=_cancelled,
    ),  # fmt: skip
    "rcp:meeting_invite": Route(
        "post",
        lambda w: f"/rcp/reunions/{w.coming.pk}/inviter/",
        MANAGERS,
        status=302,
        roles=ROLES,
        data=lambda w: {"member": w.vera.pk, "profession": "radiologist", "scope": "meeting"},
        check=_invited,
    ),  # fmt: skip
    "api_rcp_meeting_cancel": api(
        "post",
        lambda w: f"/api/pro/rcp/meetings/{w.coming.pk}/cancel/",
        MANAGERS,
        roles=ROLES,
        data=lambda w: {"reason": "Congrès"},
        check=_cancelled,
    ),  # fmt: skip
    "api_rcp_invite": api(
        "post",
        lambda w: f"/api/pro/rcp/meetings/{w.coming.pk}/participants/",
        MANAGERS,
        status=201,
        roles=ROLES,
        data=lambda w: {"member": w.vera.pk, "profession": "radiologist"},
        check=_invited,
    ),  # fmt: skip
    "api_rcp_decision": api(
        "post",
        lambda w: f"/api/pro/rcp/cases/{w.open_case.pk}/decision/",
        MANAGERS,
        roles=ROLES,
        data=lambda w: {"decision": "surgery", "decision_reference": "RCP-THX-2025-0099"},
        check=_decided,
    ),  # fmt: skip
}

OTHER_METHODS = {
    "rcp:series_create": Route(
        "post",
        lambda w: "/rcp/nouvelle-serie/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {
            "name": "RCP digestive",
            "organ": "Digestif",
            "recurrence": "weekly",
            "weekday": "3",
            "start_time": "17:00",
            "duration_minutes": "60",
            "quorum": ["surgeon"],
        },
        check=_series_created,
    ),  # fmt: skip
    "rcp:minutes": Route(
        "post",
        lambda w: f"/rcp/reunions/{w.started.pk}/compte-rendu/",
        MANAGERS,
        status=302,
        roles=ROLES,
        data=lambda w: {"minutes": "Deux dossiers."},
        check=_minutes,
    ),  # fmt: skip
    "rcp:meeting_edit": Route(
        "post",
        lambda w: f"/rcp/reunions/{w.coming.pk}/modifier/",
        MANAGERS,
        status=302,
        roles=ROLES,
        data=_four_days_on,
        check=_moved,
    ),  # fmt: skip
    "api_rcp_meeting": api(
        "patch",
        lambda w: f"/api/pro/rcp/meetings/{w.coming.pk}/",
        MANAGERS,
        roles=ROLES,
        data=lambda w: {
            "place": "Salle 2",
            "starts_at": (timezone.now() + timedelta(days=4)).isoformat(),
        },
        check=lambda r, w, role: _moved(r, w, role) and r.json()["sequence"] == 1,
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_rcp_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(OTHER_METHODS))
def test_rcp_other_methods_matrix(client_as, world, route, role):
    check(OTHER_METHODS, route, role, client_as, world)

"""RCP behaviour beyond who may (tests/test_matrix_pro_rcp.py): meetings generated once,
the quorum flagged and the coordinator alerted once, bad references re-rendered or 400 with
nothing written, the ICS invitation, the list's queries, the demo seed."""

import random
from datetime import UTC, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification
from tenant_apps.pro.models import Profession, RcpCase, RcpMeeting, RcpParticipant, RcpSeries
from tenant_apps.pro.rcp import jobs, seeds, selectors, services
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def _pro(name: str) -> Member:
    member = account(name).member
    Member.objects.filter(pk=member.pk).update(verified_professional=True)
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def cast(tenant):
    cora, pierre = _pro("Cora"), _pro("Pierre")
    series = RcpSeries.objects.create(
        name="RCP thoracique", slug="rcp-thx", organ="Thorax", weekday=1,
        start_time=time(12, 30), quorum=["medical_oncologist", "surgeon"], coordinator=cora,
    )  # fmt: skip
    return {"cora": cora, "pierre": pierre, "series": series}


def _meeting(series, *, in_hours: float) -> RcpMeeting:
    starts_at = timezone.now() + timedelta(hours=in_hours)
    return RcpMeeting.objects.create(
        series=series, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90)
    )


def test_meetings_are_generated_once_whatever_the_runs(cast):
    series = cast["series"]
    created = services.meetings_generate(series=series)
    assert created in (6, 7)  # Tuesdays within the next six weeks, today included
    assert services.meetings_generate(series=series) == 0
    jobs.meetings_generate.func.__wrapped__()
    assert series.meetings.count() == created
    starts = [
        m.starts_at.astimezone(timezone.get_current_timezone()) for m in series.meetings.all()
    ]
    assert all(s.weekday() == 1 for s in starts)


def test_a_meeting_without_quorum_is_flagged_and_its_coordinator_told_once(cast):
    series, pierre = cast["series"], cast["pierre"]
    zone = connection.tenant.branding.zone
    start, _ = selectors.tomorrow_bounds(zone)
    tomorrow = RcpMeeting.objects.create(
        series=series, starts_at=start + timedelta(hours=12), ends_at=start + timedelta(hours=13)
    )
    RcpParticipant.objects.create(
        meeting=tomorrow, member=pierre, profession="surgeon", attendance="confirmed"
    )
    [row] = selectors.upcoming(cast["cora"])
    assert row.missing == [str(Profession.MEDICAL_ONCOLOGIST.label)]
    jobs.quorum_alerts_send.func.__wrapped__()
    jobs.quorum_alerts_send.func.__wrapped__()
    [told] = Notification.objects.filter(recipient=cast["cora"])
    assert told.url == f"/rcp/reunions/{tomorrow.pk}/"
    assert told.detail == str(Profession.MEDICAL_ONCOLOGIST.label)
    # Once the oncologist confirms, the quorum is met: the flag is gone.
    oncologist = _pro("Olivia")
    services.attendance_set(
        meeting=tomorrow, member=oncologist, attending=True, profession="medical_oncologist"
    )
    assert selectors.upcoming(cast["cora"])[0].missing == []


def test_a_name_as_reference_is_refused_and_the_form_keeps_it(cast, client_as):
    meeting = _meeting(cast["series"], in_hours=48)
    client = client_as(cast["cora"])
    response = client.post(f"/rcp/reunions/{meeting.pk}/dossiers/", {"reference": "DUPONT J"})
    assert response.status_code == 400
    assert response.context["case_form"]["reference"].value() == "DUPONT J"
    refusal = gettext(
        "Give the reference of the record system only (letters, digits, dashes: "
        "“IPP 2024-000123”), never a name, a date of birth or a social security number."
    )
    assert escape(refusal) in response.content.decode()
    assert not RcpCase.objects.exists()
    # Twice the same reference (a double submit): one case, then a message.
    for _ in range(2):
        response = client.post(
            f"/rcp/reunions/{meeting.pk}/dossiers/", {"reference": "IPP 2025-000123"}
        )
    assert response.status_code == 400
    assert escape(gettext("This case is already on the agenda.")) in response.content.decode()
    assert list(meeting.cases.values_list("reference", flat=True)) == ["IPP 2025-000123"]


def test_the_api_answers_bad_input_with_field_errors(cast, client_as):
    meeting = _meeting(cast["series"], in_hours=48)
    started = _meeting(cast["series"], in_hours=-1)
    case = RcpCase.objects.create(meeting=started, reference="IPP 2025-000999")
    client = client_as(cast["cora"])
    for reference, field in (
        ("1 58 03 75 123 456 78", "reference"),
        ("x" * 1_000_000, "reference"),
    ):
        response = client.post(
            f"/api/pro/rcp/meetings/{meeting.pk}/cases/", {"reference": reference},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 400
        assert list(response.json()) == [field]
    response = client.post(
        f"/api/pro/rcp/cases/{case.pk}/decision/",
        {"decision": "magic", "decision_reference": "12/03/1958"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"decision"}
    response = client.post(
        f"/api/pro/rcp/cases/{case.pk}/decision/",
        {"decision": "surgery", "decision_reference": "12-03-1958"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"decision_reference"}
    # Deciding before the meeting starts is refused as a whole.
    early = RcpCase.objects.create(meeting=meeting, reference="IPP 2025-000998")
    response = client.post(
        f"/api/pro/rcp/cases/{early.pk}/decision/", {"decision": "surgery"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert not RcpCase.objects.exclude(decision="").exists()


def test_the_invitation_carries_the_meetings_uid_and_sequence(cast, client_as):
    meeting = _meeting(cast["series"], in_hours=48)
    RcpMeeting.objects.filter(pk=meeting.pk).update(sequence=2)
    response = client_as(cast["pierre"]).get(f"/rcp/reunions/{meeting.pk}/invitation.ics")
    body = response.content.decode().replace("\r\n ", "")
    assert response["Content-Type"].startswith("text/calendar")
    assert "METHOD:REQUEST" in body
    assert f"UID:rcp-{meeting.uid}@" in body
    assert "SEQUENCE:2" in body
    assert f"DTSTART:{meeting.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in body
    assert "ORGANIZER" not in body and "ATTENDEE" not in body


def test_the_list_queries_do_not_grow_with_the_meetings(cast, client_as):
    client = client_as(cast["pierre"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/rcp/").status_code == 200
        return len(captured)

    first = _meeting(cast["series"], in_hours=24)
    RcpCase.objects.create(meeting=first, reference="IPP 2025-000001")
    queries()  # the session's member and rights, cached for the next requests
    one = queries()
    for hours in (48, 72, 96):
        meeting = _meeting(cast["series"], in_hours=hours)
        RcpParticipant.objects.create(meeting=meeting, member=cast["cora"], profession="surgeon")
        RcpCase.objects.create(meeting=meeting, reference=f"IPP 2025-{hours:06d}")
    assert queries() == one


def test_the_demo_seed_runs_once(cast):
    Member.objects.filter(pk=cast["cora"].pk).update(verified_professional=True)
    seeds.seed(rng=random.Random(4))  # noqa: S311
    seeds.seed(rng=random.Random(4))  # noqa: S311
    series = RcpSeries.objects.get(slug=seeds.SLUG)
    held = series.meetings.filter(status="held")
    assert held.count() >= 3
    assert all(m.minutes and m.cases.exclude(decision="").exists() for m in held)
    rows = selectors.upcoming(cast["cora"], series=series)
    assert rows and any(row.missing for row in rows)
    assert any(row.cases for row in rows)
    # One coming meeting moved, the next cancelled with its reason, an invitee of the series.
    changed = series.meetings.filter(sequence=1).order_by("starts_at")
    assert [m.status for m in changed] == ["planned", "cancelled"]
    assert changed[0].place and changed[0].slot != changed[0].starts_at
    assert changed[1].cancel_reason
    assert series.invitees.count() == 1

"""One meeting of a series moved, changed or cancelled, and professionals invited (who may:
tests/test_matrix_pro_rcp.py): the invitation's SEQUENCE goes up and a cancellation is
METHOD:CANCEL, the generator does not make a moved meeting again, participants and invitees
are told once by jobs, only verified professionals are invited, bad input is 400 by field."""

from datetime import UTC, time, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification
from tenant_apps.pro.models import RcpMeeting, RcpParticipant, RcpSeries
from tenant_apps.pro.rcp import jobs, services
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def _pro(name: str) -> Member:
    member = account(name).member
    Member.objects.filter(pk=member.pk).update(verified_professional=True)
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def cast(tenant):
    cora, pierre, absent = _pro("Cora"), _pro("Pierre"), _pro("Anatole")
    series = RcpSeries.objects.create(
        name="RCP thoracique", slug="rcp-thx", organ="Thorax", weekday=1,
        start_time=time(12, 30), place="Salle 1", quorum=["surgeon"], coordinator=cora,
    )  # fmt: skip
    services.meetings_generate(series=series)
    meeting = series.meetings.filter(starts_at__gt=timezone.now() + timedelta(days=1)).first()
    RcpParticipant.objects.create(
        meeting=meeting, member=pierre, profession="surgeon", attendance="confirmed"
    )
    RcpParticipant.objects.create(
        meeting=meeting, member=absent, profession="radiologist", attendance="absent"
    )
    return {"cora": cora, "pierre": pierre, "absent": absent, "series": series, "m": meeting}


def _ics(client, meeting) -> tuple[str, str]:
    response = client.get(f"/rcp/reunions/{meeting.pk}/invitation.ics")
    return response["Content-Type"], response.content.decode().replace("\r\n ", "")


def test_a_moved_meeting_raises_its_sequence_is_not_made_again_and_tells_once(cast, client_as):
    meeting, cora, pierre = cast["m"], cast["cora"], cast["pierre"]
    count = cast["series"].meetings.count()
    new_start = timezone.localtime(meeting.starts_at) + timedelta(days=1, hours=2)
    coordinator = client_as(cora)
    form = {"day": new_start.date().isoformat(), "start_time": f"{new_start:%H:%M}",
            "duration_minutes": "60", "place": "Amphi B", "join_url": ""}  # fmt: skip
    response = coordinator.post(f"/rcp/reunions/{meeting.pk}/modifier/", form)
    assert response.status_code == 302
    moved = RcpMeeting.objects.get(pk=meeting.pk)
    assert moved.starts_at == new_start and moved.ends_at == new_start + timedelta(minutes=60)
    assert (moved.slot, moved.sequence, moved.where) == (meeting.starts_at, 1, "Amphi B")
    # The series' slot it stood for is not filled again.
    assert services.meetings_generate(series=cast["series"]) == 0
    assert cast["series"].meetings.count() == count
    content_type, body = _ics(client_as(pierre), moved)
    assert "method=REQUEST" in content_type and "METHOD:REQUEST" in body
    assert "SEQUENCE:1" in body and f"UID:rcp-{meeting.uid}@" in body
    assert f"DTSTART:{new_start.astimezone(UTC):%Y%m%dT%H%M%SZ}" in body
    assert "LOCATION:Amphi B" in body
    for _run in range(2):
        jobs.meeting_change_notify.func.__wrapped__(meeting_id=moved.pk, sequence=1)
    [told] = Notification.objects.filter(source__startswith="pro.rcp_change:")
    assert told.recipient == pierre and told.url == f"/rcp/reunions/{meeting.pk}/"
    assert "Amphi B" in told.detail
    # A bad time is the form's error, nothing changes.
    past = timezone.localtime() - timedelta(days=1)
    response = coordinator.post(
        f"/rcp/reunions/{meeting.pk}/modifier/", {**form, "day": past.date().isoformat()}
    )
    assert response.status_code == 400
    assert gettext("Choose a time in the future.") in response.context["form"].non_field_errors()
    assert RcpMeeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_cancelled_meeting_is_a_cancellation_with_its_reason(cast, client_as):
    meeting, cora, pierre = cast["m"], cast["cora"], cast["pierre"]
    client = client_as(cora)
    url = f"/api/pro/rcp/meetings/{meeting.pk}/cancel/"
    response = client.post(url, {"reason": "  "}, content_type="application/json")
    assert response.status_code == 400 and set(response.json()) == {"reason"}
    response = client.post(url, {"reason": "Congrès national"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled" and response.json()["sequence"] == 1
    content_type, body = _ics(client_as(pierre), meeting)
    assert "method=CANCEL" in content_type
    assert "METHOD:CANCEL" in body and "STATUS:CANCELLED" in body and "SEQUENCE:1" in body
    jobs.meeting_change_notify.func.__wrapped__(meeting_id=meeting.pk, sequence=1)
    [told] = Notification.objects.filter(source=f"pro.rcp_change:{meeting.pk}:1")
    assert told.recipient == pierre and told.detail == "Congrès national"
    page = client_as(pierre).get(f"/rcp/reunions/{meeting.pk}/").content.decode()
    assert "Congrès national" in page
    # Cancelled: it can be neither cancelled again nor moved.
    response = client.post(url, {"reason": "Encore"}, content_type="application/json")
    assert response.status_code == 400
    response = client.patch(
        f"/api/pro/rcp/meetings/{meeting.pk}/", {"place": "Ailleurs"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert RcpMeeting.objects.get(pk=meeting.pk).sequence == 1


def test_only_verified_professionals_are_invited_to_a_meeting_or_a_series(cast, client_as):
    meeting, cora, series = cast["m"], cast["cora"], cast["series"]
    patient = account("Bob").member
    olivia = _pro("Olivia")
    client = client_as(cora)
    url = f"/api/pro/rcp/meetings/{meeting.pk}/participants/"
    response = client.post(
        url, {"member": patient.pk, "profession": "surgeon"}, content_type="application/json"
    )
    assert response.status_code == 400 and set(response.json()) == {"member"}
    response = client.post(
        f"/rcp/reunions/{meeting.pk}/inviter/",
        {"member": patient.pk, "profession": "surgeon", "scope": "meeting"},
    )
    assert response.status_code == 400
    assert not RcpParticipant.objects.filter(member=patient).exists()
    response = client.post(
        url, {"member": olivia.pk, "profession": "medical_oncologist", "scope": "series"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    coming = series.meetings.filter(starts_at__gt=timezone.now(), status="planned")
    assert RcpParticipant.objects.filter(member=olivia).count() == coming.count()
    # Meetings the generator makes later take the series' invitees too.
    last = coming.order_by("-starts_at").first()
    last.delete()
    assert services.meetings_generate(series=series) == 1
    remade = series.meetings.order_by("-starts_at").first()
    assert remade.participants.filter(member=olivia, profession="medical_oncologist").exists()
    for _run in range(2):
        jobs.invitation_notify.func.__wrapped__(
            member_id=olivia.pk, meeting_id=None, series_id=series.pk
        )
    [told] = Notification.objects.filter(recipient=olivia)
    assert told.url == f"/rcp/series/{series.slug}/"

"""Pages of multidisciplinary team meetings (/rcp/). Who reads and acts: ``access``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import posted
from tenant_apps.members.permissions import member_required
from tenant_apps.members.views import add_errors
from tenant_apps.pro.models import Profession, VerificationRequest
from tenant_apps.pro.rcp import access, ics, selectors, services
from tenant_apps.pro.rcp.forms import (
    WEEKDAYS,
    AttendanceForm,
    CancelForm,
    CaseForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    PresenceForm,
    SeriesForm,
)


@member_required
def index(request: HttpRequest) -> HttpResponse:
    member = access.reader_or_404(request.member)
    return render(
        request,
        "pro/rcp/index.html",
        {
            "series_list": selectors.series_list(member),
            "rows": selectors.upcoming(member),
            "can_create": access.can_create_series(member),
        },
    )


@member_required
def series_create(request: HttpRequest) -> HttpResponse:
    member = access.reader_or_404(request.member)
    if not access.can_create_series(member):
        return access.reader_or_404(None)  # type: ignore[return-value]
    form = SeriesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The series is created with its coming meetings."))
            return redirect("rcp:series", series.slug)
    return render(request, "pro/rcp/series_form.html", {"form": form})


@member_required
def series(request: HttpRequest, slug: str) -> HttpResponse:
    member = access.reader_or_404(request.member)
    found = access.series_or_404(member, slug)
    return render(
        request,
        "pro/rcp/series.html",
        {
            "series": found,
            "weekday_name": dict(WEEKDAYS)[found.weekday],
            "quorum": [Profession(code).label for code in found.quorum],
            "rows": selectors.upcoming(member, series=found),
            "past": selectors.past(member, series=found),
        },
    )


def _profession_of(member) -> str | None:
    return (
        VerificationRequest.objects.filter(
            member=member, status=VerificationRequest.Status.VERIFIED
        )
        .order_by("-decided_at")
        .values_list("profession", flat=True)
        .first()
    )


def _meeting_context(request, meeting, **forms) -> dict:
    member = request.member
    page = selectors.meeting_page(member, meeting)
    manage = access.can_manage(member, meeting.series)
    context = {
        "page": page,
        "meeting": meeting,
        "series": meeting.series,
        "manage": manage,
        "can_add_case": access.can_add_case(member, meeting),
        "attendance_form": AttendanceForm(
            initial={"profession": page.mine.profession if page.mine else _profession_of(member)}
        ),
        "case_form": CaseForm(),
        "invite_form": InviteForm(),
        "can_change": manage and meeting.status == "planned" and not page.started,
        "decision_form": DecisionForm(),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "presence_form": PresenceForm(
            participants=page.participants,
            initial={
                "present": [p.member_id for p in page.participants if p.attendance == "present"]
            },
        ),  # fmt: skip
    }
    context.update(forms)
    return context


@member_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    return render(request, "pro/rcp/meeting.html", _meeting_context(request, found))


@require_POST
@member_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.reader_or_404(request.member)
    found = access.meeting_or_404(member, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_set(
                meeting=found, member=member, attending=form.cleaned_data["attending"],
                profession=form.cleaned_data["profession"] or None,
            )  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("rcp:meeting", found.pk)
    context = _meeting_context(request, found, attendance_form=form)
    return render(request, "pro/rcp/meeting.html", context, status=400)


@require_POST
@member_required
def presence(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    access.manager_or_404(request.member, found.series)
    page = selectors.meeting_page(request.member, found)
    form = PresenceForm(request.POST, participants=page.participants)
    if form.is_valid():
        try:
            services.attendance_record(meeting=found, present_ids=set(form.cleaned_data["present"]))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Presence is recorded."))
            return redirect("rcp:meeting", found.pk)
    context = _meeting_context(request, found, presence_form=form)
    return render(request, "pro/rcp/meeting.html", context, status=400)


@require_POST
@member_required
def case_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    presenter = access.case_adder_or_404(request.member, found)
    form = CaseForm(request.POST)
    if form.is_valid():
        try:
            services.case_add(
                meeting=found, presenter=presenter, reference=form.cleaned_data["reference"]
            )
        except ValidationError as error:
            add_errors(form, error, default_field="reference")
        else:
            messages.success(request, _("The case is on the agenda."))
            return redirect("rcp:meeting", found.pk)
    context = _meeting_context(request, found, case_form=form)
    return render(request, "pro/rcp/meeting.html", context, status=400)


@require_POST
@member_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_or_404(access.reader_or_404(request.member), pk)
    access.manager_or_404(request.member, case.meeting.series)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.case_decide(case=case, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, default_field="decision")
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("rcp:meeting", case.meeting_id)
    context = _meeting_context(request, case.meeting, decision_form=form, decided_case=case.pk)
    return render(request, "pro/rcp/meeting.html", context, status=400)


@member_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    if request.method != "POST":
        return render(request, "pro/rcp/minutes.html", {"meeting": found, "series": found.series})
    access.manager_or_404(request.member, found.series)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_save(meeting=found, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            add_errors(form, error, default_field="minutes")
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("rcp:meeting", found.pk)
    context = _meeting_context(request, found, minutes_form=form)
    return render(request, "pro/rcp/meeting.html", context, status=400)


@member_required
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    body = ics.invitation(request, found)
    response = HttpResponse(
        body, content_type=f"text/calendar; method={ics.method(found)}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="rcp-{found.pk}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


def _edit_context(request, meeting, **forms) -> dict:
    zone = services._zone()
    context = {
        "meeting": meeting,
        "series": meeting.series,
        "form": MeetingForm(zone=zone, initial=MeetingForm.initial_of(meeting, zone)),
        "cancel_form": CancelForm(),
    }
    context.update(forms)
    return context


@member_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    actor = access.manager_or_404(request.member, found.series)
    if request.method != "POST":
        return render(request, "pro/rcp/meeting_form.html", _edit_context(request, found))
    form = MeetingForm(request.POST, zone=services._zone())
    if form.is_valid():
        try:
            services.meeting_update(actor=actor, meeting=found, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The meeting is changed; its participants are told."))
            return redirect("rcp:meeting", found.pk)
    context = _edit_context(request, found, form=form)
    return render(request, "pro/rcp/meeting_form.html", context, status=400)


@require_POST
@member_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    actor = access.manager_or_404(request.member, found.series)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(actor=actor, meeting=found, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("The meeting is cancelled; its participants are told."))
            return redirect("rcp:meeting", found.pk)
    context = _edit_context(request, found, cancel_form=form)
    return render(request, "pro/rcp/meeting_form.html", context, status=400)


@require_POST
@member_required
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.meeting_or_404(access.reader_or_404(request.member), pk)
    actor = access.manager_or_404(request.member, found.series)
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["scope"] == "series":
                services.series_invite(actor=actor, series=found.series, member=data["member"],
                                       profession=data["profession"])  # fmt: skip
            else:
                services.participant_invite(actor=actor, meeting=found, member=data["member"],
                                            profession=data["profession"])  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The professional is invited and told."))
            return redirect("rcp:meeting", found.pk)
    context = _meeting_context(request, found, invite_form=form)
    return render(request, "pro/rcp/meeting.html", context, status=400)

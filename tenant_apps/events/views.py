"""Pages of the events (/evenements/): lists, month calendar, event page, writing forms,
registration. Everything is for signed-in members of this network; what is out of a
member's reach answers the same 404 as what does not exist."""

import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.static import serve

from core.http import posted, refused
from tenant_apps.events import ics, selectors, services
from tenant_apps.events.access import can_write
from tenant_apps.events.challenge_views import challenge_context
from tenant_apps.events.forms import (
    EventForm,
    OrganizerForm,
    QuestionForm,
    ReplayForm,
    SpeakerFormSet,
    speakers_initial,
)
from tenant_apps.events.models import Event, Registration
from tenant_apps.members.permissions import member_required, permission_required
from tenant_apps.members.selectors import spaces_for
from tenant_apps.members.views import add_errors
from tenants.links import network_url, tenant_base_url

JOIN_OPENS_BEFORE = datetime.timedelta(minutes=15)
# The live questions' shared renderings are kept this long after their last change.
QUESTION_CACHE_SECONDS = 120

signed_in = member_required
role_manager = permission_required("members.member:manage")
writer = permission_required("events.event:write")


def _format(request: HttpRequest) -> str:
    chosen = request.GET.get("format", "")
    return chosen if chosen in Event.Format.values else ""


def _list(request: HttpRequest, *, past: bool) -> HttpResponse:
    after = None
    if request.GET.get("apres"):
        try:
            after = selectors.Cursor.decode(request.GET["apres"])
        except (ValueError, OverflowError) as error:
            raise Http404 from error
    chosen = _format(request)
    page = selectors.events_page(request.member, past=past, format=chosen, after=after)
    return render(
        request,
        "events/index.html",
        {
            "page": page,
            "past": past,
            "formats": Event.Format.choices,
            "chosen": chosen,
            "first_page": after is None,
            "can_write": can_write(request.member),
        },
    )


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    return _list(request, past=False)


@signed_in
def past(request: HttpRequest) -> HttpResponse:
    return _list(request, past=True)


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    value = request.GET.get("mois", "")
    if not value:
        return today.year, today.month
    try:
        moment = datetime.datetime.strptime(value, "%Y-%m")  # noqa: DTZ007 - a month, no time
    except ValueError as error:
        raise Http404 from error
    if not 2000 <= moment.year <= 2100:
        raise Http404
    return moment.year, moment.month


@signed_in
def month(request: HttpRequest) -> HttpResponse:
    year, month_ = _month(request)
    first = datetime.date(year, month_, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return render(
        request,
        "events/month.html",
        {
            "weeks": selectors.month_calendar(request.member, year=year, month=month_),
            "first": first,
            "previous": previous if previous.year >= 2000 else None,
            "following": following if following.year <= 2100 else None,
            "today": timezone.localdate(),
            "can_write": can_write(request.member),
        },
    )


@signed_in
def event(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_event(request.member, pk)
    registration = selectors.registration_of(request.member, found)
    now = timezone.now()
    registered = registration is not None and registration.status == Registration.Status.REGISTERED
    return render(
        request,
        "events/event.html",
        {
            "event": found,
            "speakers": selectors.speakers_of(found),
            "registration": registration,
            "registered": registered,
            "waiting_position": (
                selectors.waiting_position(registration)
                if registration is not None and not registered
                else None
            ),
            "places": selectors.places_of(found),
            "is_over": found.ends_at <= now,
            "join_open": registered
            and bool(found.join_url)
            and found.starts_at - JOIN_OPENS_BEFORE <= now < found.ends_at,
            "can_register": found.status == Event.Status.PUBLISHED and found.ends_at > now,
            "can_write": can_write(request.member),
            **_questions_context(request, found, registration),
            "question_form": QuestionForm(),
            "chapters": selectors.chapters_of(found) if found.replay_url else [],
            **challenge_context(request, found, registration),
        },
    )


@signed_in
def cover(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's cover image, for those who may see the event (404 otherwise)."""
    found = selectors.access_event(request.member, pk)
    if not found.cover:
        raise Http404
    response = serve(request, found.cover.name, document_root=found.cover.storage.location)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- writing ---------------------------------------------------------------------------------


def _speakers_from(formset) -> list[services.SpeakerData]:
    return [data for form in formset.forms if (data := form.data_or_none()) is not None]


def _event_form(request: HttpRequest, found: Event | None) -> HttpResponse:
    spaces = spaces_for(request.member)
    initial = EventForm.initial_for(found) if found else None
    speakers = selectors.speakers_of(found) if found else []
    if request.method == "POST":
        form = EventForm(request.POST, request.FILES, spaces=spaces, editing=found is not None)
        formset = SpeakerFormSet(request.POST, prefix="speakers")
        if form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            cover = data.pop("cover") or None
            remove_cover = data.pop("remove_cover", False)
            try:
                if found is None:
                    saved = services.event_create(
                        author=request.member, cover=cover, speakers=_speakers_from(formset),
                        **data,
                    )  # fmt: skip
                else:
                    saved = services.event_update(
                        event=found, by=request.member, cover=cover, remove_cover=remove_cover,
                        speakers=_speakers_from(formset), **data,
                    )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error, default_field=None)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("events:event", saved.pk)
    else:
        form = EventForm(initial=initial, spaces=spaces, editing=found is not None)
        formset = SpeakerFormSet(initial=speakers_initial(speakers), prefix="speakers")
    return render(
        request, "events/event_form.html", {"form": form, "formset": formset, "event": found}
    )


@writer
def create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@writer
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form(request, selectors.event_for_edit(request.member, pk))


# --- organizers ------------------------------------------------------------------------------


@role_manager
def organizers(request: HttpRequest) -> HttpResponse:
    form = OrganizerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.organizer_grant(member=form.cleaned_data["pseudonym"], actor=request.member)
        except ValidationError as error:
            add_errors(form, error, default_field="pseudonym")
        else:
            messages.success(request, _("The role is given."))
            return redirect("events:organizers")
    return render(
        request, "events/organizers.html", {"form": form, "organizers": selectors.organizers()}
    )


@role_manager
@require_POST
def organizer_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    role = selectors.access_organizer(pk)
    services.organizer_revoke(member=role.member, actor=request.member)
    messages.success(request, _("The role is taken back."))
    return redirect("events:organizers")


# --- registration ----------------------------------------------------------------------------


@signed_in
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_event(request.member, pk)
    try:
        registration = services.registration_create(member=request.member, event=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.success(
                request,
                _(
                    "The event is full: you are on the waiting list. "
                    "You will get an email if a place frees up."
                ),
            )
    return redirect("events:event", found.pk)


@signed_in
@require_POST
def unregister(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_event(request.member, pk)
    services.registration_cancel(member=request.member, event=found)
    messages.success(request, _("You are no longer registered."))
    return redirect("events:event", found.pk)


# --- cancellation ----------------------------------------------------------------------------


@writer
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.event_for_edit(request.member, pk)
    try:
        services.event_cancel(event=found, by=request.member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event is cancelled; its registrants are told by email."))
    return redirect("events:event", found.pk)


# --- calendars -------------------------------------------------------------------------------


def _calendar(request: HttpRequest, events, *, name: str, filename: str) -> HttpResponse:
    tenant = request.tenant
    # The primary domain resolved with the host (or looked up): never the request's Host,
    # which can be forged and would change every event's UID.
    domain = getattr(tenant, "primary_domain", None) or (
        tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    )
    body = ics.calendar_build(
        events,
        domain=domain,
        base_url=tenant_base_url(tenant, domain=domain),
        name=name,
        path_of=lambda event: reverse("events:event", args=[event.pk]),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@signed_in
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The event for a calendar app, for whom registered (or waits)."""
    found = selectors.registered_event_or_404(request.member, pk)
    return _calendar(request, [found], name=found.title, filename=f"evenement-{found.pk}.ics")


def feed_public(request: HttpRequest) -> HttpResponse:
    """The network's public events, for any calendar app (no sign-in)."""
    return _calendar(
        request,
        selectors.public_feed_events(),
        name=request.tenant.branding.display_name,
        filename="agenda.ics",
    )


def feed_private(request: HttpRequest, token: str) -> HttpResponse:
    """A member's events, for their calendar app, by the secret address (no sign-in)."""
    feed = selectors.access_feed(token)
    return _calendar(
        request,
        selectors.member_feed_events(feed.member),
        name=_("My events · %(network)s") % {"network": request.tenant.branding.display_name},
        filename="mes-evenements.ics",
    )


@signed_in
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The addresses to give a calendar app; the private one can be renewed (revoked)."""
    if request.method == "POST":
        services.calendar_feed_renew(member=request.member)
        messages.success(
            request, _("Your calendar has a new address: the old one no longer works.")
        )
        return redirect("events:my_calendar")
    feed = services.calendar_feed_get(member=request.member)
    return render(
        request,
        "events/my_calendar.html",
        {
            # On the network's primary domain, never the request's Host (which can be forged).
            "private_url": network_url(reverse("event_feeds:private", args=[feed.token])),
            "public_url": network_url(reverse("event_feeds:public")),
        },
    )


# --- webinar questions -----------------------------------------------------------------------


def _question_items(
    request: HttpRequest, event: Event, questions: list[selectors.LiveQuestion], *,
    moderates: bool, can_vote: bool, live: bool,
) -> list[str]:  # fmt: skip
    """Each question's ``<li>`` (events/_question.html). For the live poll (``live``), the
    renderings are kept in one cache entry per event and kind of viewer (language, moderator
    or not, may vote or not), one per question and whether the viewer voted for it (all that
    a rendering of someone else's question says of its viewer), each with the version of its
    question (``updated``, bumped by every change, and its author's pseudonym): after a
    change, the first poll renders the changed questions again and the others reuse them,
    instead of 200 viewers rendering 300 questions each. One cache read per poll, a write
    only after a change. A viewer's own questions are rendered for them. Cached ones carry
    no session's token: htmx sends it from the list's ``hx-headers``; the page renders every
    form with the token, for posting without JavaScript."""
    member = request.member
    # Without the request: no context processors run 300 times; the page's forms get the
    # token from here.
    common = {
        "moderates": moderates, "can_vote": can_vote, "viewer": member, "with_csrf": not live,
        "csrf_token": "" if live else get_token(request),
    }  # fmt: skip

    def rendered(question) -> str:
        return render_to_string("events/_question.html", {"question": question, **common})

    if not live:
        return [rendered(question) for question in questions]
    key = f"events.questions:{event.pk}:{get_language()}:{moderates:d}{can_vote:d}"
    shared = cache.get(key) or {}
    changed = False
    items = []
    for question in questions:
        if question.author_id == member.pk:
            items.append(rendered(question))  # theirs alone: "You"
            continue
        # A pseudonym changed (or erased) shows at once too.
        version = (question.updated.timestamp(), question.author_name)
        situation = (question.pk, question.voted)
        kept = shared.get(situation)
        if kept is None or kept[0] != version:
            kept = shared[situation] = (version, rendered(question))
            changed = True
        items.append(kept[1])
    if changed:
        cache.set(key, shared, timeout=QUESTION_CACHE_SECONDS)
    return items


def _questions_context(
    request: HttpRequest, event: Event, registration, *, live: bool = False,
    version: str | None = None,
) -> dict:  # fmt: skip
    """``version``: the questions' version when the caller just read it (the poll did)."""
    if event.format != Event.Format.WEBINAR:
        return {"is_webinar": False}
    member = request.member
    registered = registration is not None and registration.status == Registration.Status.REGISTERED
    questions = selectors.live_questions(member, event)
    moderates = selectors.moderates_questions(member)
    pinned = next((q for q in questions if q.pinned), None)
    return {
        "is_webinar": True,
        "questions": questions,
        "question_items": _question_items(
            request, event, questions, moderates=moderates, can_vote=registered, live=live
        ),
        "pinned_id": "" if pinned is None else pinned.pk,
        "questions_version": version or selectors.questions_version(event),
        "can_ask": selectors.can_ask(member, event, registration),
        "can_vote": registered,
        "moderates": moderates,
        "viewer": member,
    }


def _questions_fragment(
    request: HttpRequest, event: Event, *, announce_after: str | None = None,
    version: str | None = None,
) -> HttpResponse:  # fmt: skip
    """The live list; a poll that saw another question pinned (``announce_after``: the pinned
    question's id the page had) also tells screen readers which one is being answered.
    ``version``: read before the list (a change in between makes the next poll read it
    again, never miss it)."""
    registration = selectors.registration_of(request.member, event)
    context = {
        "event": event,
        **_questions_context(request, event, registration, live=True, version=version),
    }
    pinned = next((q for q in context["questions"] if q.pinned), None)
    if announce_after is not None and pinned is not None and str(pinned.pk) != announce_after:
        context["announce"] = pinned
    return render(request, "events/_questions.html", context)


def _back_to_questions(request: HttpRequest, event: Event) -> HttpResponse:
    if request.htmx:
        return _questions_fragment(request, event)
    return redirect(reverse("events:event", args=[event.pk]) + "#questions")


@signed_in
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    """The live questions (htmx polls it every few seconds); 204 while nothing changed."""
    found = selectors.access_event(request.member, pk)
    if found.format != Event.Format.WEBINAR:
        raise Http404
    if not request.htmx:
        return redirect(reverse("events:event", args=[found.pk]) + "#questions")
    version = selectors.questions_version(found)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return _questions_fragment(
        request, found, announce_after=request.GET.get("pin", ""), version=version
    )


@signed_in
@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_event(request.member, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = services.question_ask(
                member=request.member, event=found, text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
                confirmed_identifying=form.cleaned_data["confirm_identifying"],
            )  # fmt: skip
        except ValidationError as error:
            add_errors(form, error, default_field="text")
        else:
            if question.status == question.Status.PENDING:
                messages.info(request, _("Your question is sent; a moderator will look at it."))
            else:
                messages.success(request, _("Your question is sent."))
            return redirect(reverse("events:event", args=[found.pk]) + "#questions")
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect(reverse("events:event", args=[found.pk]) + "#ask")


@signed_in
@require_POST
def question_vote(request: HttpRequest, question_id: int) -> HttpResponse:
    question, _voted = services.vote_toggle(member=request.member, question_id=question_id)
    return _back_to_questions(request, question.event)


@signed_in
@require_POST
def question_moderate(request: HttpRequest, question_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in services.QUESTION_ACTIONS:
        return refused(request, _("Unknown action."))
    into = request.POST.get("into", "").strip().lstrip("#")
    try:
        question = services.question_moderate(
            moderator=request.member, question_id=question_id, action=action,
            into=int(into) if into.isdigit() else None,
        )  # fmt: skip
    except ValidationError as error:
        return refused(request, " ".join(error.messages))
    return _back_to_questions(request, question.event)


# --- replay ----------------------------------------------------------------------------------


@writer
def replay(request: HttpRequest, pk: int) -> HttpResponse:
    """The replay's address and chapters of a webinar, for those who write events."""
    found = selectors.event_for_edit(request.member, pk)
    if request.method == "POST":
        form = ReplayForm(request.POST)
        if form.is_valid():
            try:
                services.replay_set(
                    event=found, by=request.member, url=form.cleaned_data["replay_url"],
                    chapters=form.cleaned_data["chapters"],
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error, default_field=None)
            else:
                messages.success(request, _("The replay is saved."))
                return redirect(reverse("events:event", args=[found.pk]) + "#replay")
    else:
        form = ReplayForm(
            initial={
                "replay_url": found.replay_url,
                "chapters": ReplayForm.chapters_text(selectors.chapters_of(found)),
            }
        )
    return render(request, "events/replay_form.html", {"form": form, "event": found})

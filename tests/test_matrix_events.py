"""Authorization matrix of the events' pages: who sees an event of the Patients space, who
writes events, who registers (anonymous, another network's account, a suspended member, a
member of the space, a member of another space (the caregiver), a registrant, a moderator,
an admin). Refusals are 404 (or sign-in for signed-out visitors) and change nothing; lists
and the calendar assert which events each role gets."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.events import challenge_services, services
from tenant_apps.events.models import Challenge, Entry, Event, Participant, Question, Registration
from tenants.models import DEFAULT_TIME_ZONE
from tests import matrix
from tests.events.factories import event_make, picture
from tests.matrix import ADMIN, Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def _network_today() -> datetime.date:
    """Today where the session networks live (Paris): near midnight UTC it is another day."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE))


ROLES = ("anonymous", "other_network", "suspended", "member", "caregiver", "registrant",
         "moderator", "admin")  # fmt: skip
# Who sees the Patients space's event (the caregiver's profile does not open that space).
PATIENTS = frozenset({"member", "registrant", "moderator", "admin"})
READERS = frozenset({"member", "caregiver", "registrant", "moderator", "admin"})
REGISTRANT = frozenset({"registrant"})
# A feed needs no session; a suspended member's session ends on any page (sent home).
FEED_READERS = frozenset(ROLES) - {"suspended"}


@pytest.fixture(scope="module")
def events_world(shared_world, session_networks, django_db_blocker):
    """The shared world (tests/fixtures.py build_world), plus events, inside its module
    transaction: one for everyone (Tina's), one of the Patients space with five places where
    Rita is registered, one of the caregivers' space, a draft, a past one, an organizer."""
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        admin = w.people["admin"]
        w.rita = account("Rita").member
        w.people["registrant"] = w.rita
        w.everyone_event = event_make(author=admin, title="Marche au parc", format="in_person",
                                      online=False, place="Parc de la Tête d'Or, Lyon")  # fmt: skip
        w.event = event_make(author=admin, title="Webinaire patients", space=w.patients,
                             capacity=5, cover=picture())  # fmt: skip
        with w.event.cover.open("rb") as stored:
            w.cover_bytes = stored.read()
        services.registration_create(member=w.rita, event=w.event)
        w.caregivers_event = event_make(author=admin, title="Aidants", space=w.caregivers)
        w.draft_event = event_make(author=admin, title="Brouillon", status=Event.Status.DRAFT)
        w.past_event = event_make(
            author=admin, title="Passé", starts_in=-datetime.timedelta(days=3)
        )
        w.to_cancel = event_make(author=admin, title="À annuler")
        w.rita_feed = services.calendar_feed_get(member=w.rita)
        w.paula = account("Paula").member
        services.registration_create(member=w.paula, event=w.event)
        w.question = services.question_ask(member=w.rita, event=w.event, text="Et la fatigue ?")
        w.paula_question = services.question_ask(
            member=w.paula, event=w.event, text="Peut-on travailler ?", anonymous=True
        )
        w.otto = account("Otto").member
        w.organizer = services.organizer_grant(member=w.otto, actor=admin)
        # A walking challenge of the Patients space under way: Rita takes part (the member,
        # the moderator and the admin see it without taking part); Paula made a team.
        started = timezone.localtime() - datetime.timedelta(days=3)
        w.challenge = challenge_services.challenge_create(
            author=admin, title="Défi marche", description="15 jours", starts_at=started,
            goal=100_000, team_mode=True, space=w.patients,
        )  # fmt: skip
        for walker in (w.rita, w.paula):
            services.registration_create(member=walker, event=w.challenge.event)
        w.team = challenge_services.team_create(member=w.paula, challenge=w.challenge, name="Lions")
        challenge_services.entry_log(
            member=w.rita, challenge=w.challenge, day=_network_today(), amount=3000
        )
    return w


@pytest.fixture
def world(events_world, tenant):
    # Each test has its own MEDIA_ROOT (tests/fixtures.py): put the cover back in it.
    cover = events_world.event.cover
    cover.storage.save(cover.name, ContentFile(events_world.cover_bytes))
    return events_world


@pytest.fixture
def role_accounts(events_world):
    return {
        **events_world.accounts,
        "registrant": events_world.rita.user,
        "paula": events_world.paula.user,
    }


def _ids(response) -> set[int]:
    return {int(pk) for pk in re.findall(rb'id="event-(\d+)"', response.content)}


def _linked(response) -> set[int]:
    return {int(pk) for pk in re.findall(rb'href="/evenements/(\d+)/"', response.content)}


def _upcoming_for(w, role) -> set[int]:
    seen = {w.everyone_event.pk, w.to_cancel.pk}
    if role in PATIENTS:
        seen.update({w.event.pk, w.challenge.event_id})
    if role in ("caregiver", "moderator", "admin"):
        seen.add(w.caregivers_event.pk)
    if role == "admin":
        seen.add(w.draft_event.pk)  # drafts: only to those who write events
    return seen


def _lists(found, expected):
    def check_(response, w, role):
        assert found(response) == expected(w, role), role

    return check_


def _month_of(w) -> str:
    return timezone.localtime(w.event.starts_at).strftime("%Y-%m")


def _in_month(w, role) -> set[int]:
    month = _month_of(w)
    events = [w.everyone_event, w.event, w.caregivers_event, w.draft_event, w.to_cancel,
              w.challenge.event]  # fmt: skip
    return {
        e.pk
        for e in events
        if e.pk in _upcoming_for(w, role)
        and timezone.localtime(e.starts_at).strftime("%Y-%m") == month
    } | (
        {w.past_event.pk}
        if timezone.localtime(w.past_event.starts_at).strftime("%Y-%m") == month
        else set()
    )


def _uids(response) -> set[int]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {
        int(str(event["UID"]).removeprefix("event-").partition("@")[0])
        for event in calendar.walk("VEVENT")
    }


ROUTES = {
    "events:index": Route(
        "get",
        lambda w: "/evenements/",
        READERS,
        roles=ROLES,
        check=_lists(_ids, _upcoming_for),
    ),  # fmt: skip
    "events:past": Route(
        "get",
        lambda w: "/evenements/passes/",
        READERS,
        roles=ROLES,
        check=_lists(_ids, lambda w, role: {w.past_event.pk}),
    ),  # fmt: skip
    "events:month": Route(
        "get",
        lambda w: f"/evenements/calendrier/?mois={_month_of(w)}",
        READERS,
        roles=ROLES,
        check=_lists(_linked, _in_month),
    ),  # fmt: skip
    "events:event": Route(
        "get",
        lambda w: f"/evenements/{w.event.pk}/",
        PATIENTS,
        roles=ROLES,
        # Rita sees her place; nobody else is told who registered.
        check=lambda r, w, role: (b'id="unregister"' in r.content) == (role == "registrant"),
    ),  # fmt: skip
    "events:cover": Route(
        "get",
        lambda w: f"/evenements/{w.event.pk}/couverture/",
        PATIENTS,
        roles=ROLES,
        check=lambda r, w, role: r["Content-Type"] == "image/jpeg",
    ),  # fmt: skip
    "events:create": Route(
        "post",
        lambda w: "/evenements/nouveau/",
        ADMIN,
        302,
        data=lambda w: {
            "title": "Nouvelle marche",
            "format": "in_person",
            "description": "Ensemble.",
            "starts_at": "2031-05-04T10:00",
            "ends_at": "2031-05-04T12:00",
            "place": "Lyon",
            "status": "published",
            "speakers-TOTAL_FORMS": "0",
            "speakers-INITIAL_FORMS": "0",
        },  # fmt: skip
        roles=ROLES,
        check=lambda r, w, role: Event.objects.filter(title="Nouvelle marche").exists(),
    ),
    "events:edit": Route(
        "get", lambda w: f"/evenements/{w.draft_event.pk}/modifier/", ADMIN, roles=ROLES
    ),
    "events:organizers": Route("get", lambda w: "/evenements/organisateurs/", ADMIN, roles=ROLES),
    "events:organizer_revoke": Route(
        "post",
        lambda w: f"/evenements/organisateurs/{w.organizer.pk}/retirer/",
        ADMIN,
        302,
        roles=ROLES,
        check=lambda r, w, role: not w.otto.event_roles.exists(),
    ),
    "events:register": Route(
        "post",
        lambda w: f"/evenements/{w.event.pk}/inscription/",
        PATIENTS,
        302,
        roles=ROLES,
        check=lambda r, w, role: Registration.objects.filter(
            event=w.event, member=w.people[role], status=Registration.Status.REGISTERED
        ).exists(),
    ),
    "events:unregister": Route(
        "post",
        lambda w: f"/evenements/{w.event.pk}/desinscription/",
        PATIENTS,
        302,
        roles=ROLES,
        check=lambda r, w, role: (
            not Registration.objects.filter(event=w.event, member=w.people[role]).exists()
        ),
    ),
    "events:cancel": Route(
        "post",
        lambda w: f"/evenements/{w.to_cancel.pk}/annuler/",
        ADMIN,
        302,
        roles=ROLES,
        check=lambda r, w, role: (
            Event.objects.get(pk=w.to_cancel.pk).status == Event.Status.CANCELLED
        ),
    ),
    "events:ics": Route(
        "get",
        lambda w: f"/evenements/{w.event.pk}/evenement.ics",
        frozenset({"registrant"}),
        roles=ROLES,
        check=_lists(_uids, lambda w, role: {w.event.pk}),
    ),  # fmt: skip
    "events:my_calendar": Route("get", lambda w: "/evenements/mon-agenda/", READERS, roles=ROLES),
    # Calendar apps read the feeds without a session: the public one holds the published
    # events for everyone only; the private one Rita's events, whoever holds her token.
    "event_feeds:public": Route(
        "get",
        lambda w: "/agenda/reseau.ics",
        FEED_READERS,
        roles=ROLES,
        public=True,
        check=_lists(_uids, lambda w, role: {w.everyone_event.pk, w.past_event.pk, w.to_cancel.pk}),
    ),  # fmt: skip
    "event_feeds:private": Route(
        "get",
        lambda w: f"/agenda/{w.rita_feed.token}.ics",
        FEED_READERS,
        roles=ROLES,
        public=True,
        check=_lists(_uids, lambda w, role: {w.event.pk, w.challenge.event_id}),
    ),  # fmt: skip
    "events:replay": Route(
        "post",
        lambda w: f"/evenements/{w.event.pk}/replay/",
        ADMIN,
        302,
        roles=ROLES,
        data=lambda w: {
            "replay_url": "https://video.example.org/w1",
            "chapters": f"0:00 Accueil\n4:30 Fatigue #{w.question.pk}",
        },
        check=lambda r, w, role: (
            list(Event.objects.get(pk=w.event.pk).chapters.values_list("start", flat=True))
            == [0, 270]
        ),
    ),  # fmt: skip
    # --- webinar questions -------------------------------------------------------------------
    "events:questions": Route(
        "get", lambda w: f"/evenements/{w.event.pk}/questions/", PATIENTS, 302, roles=ROLES
    ),
    "events:question_ask": Route(
        "post",
        lambda w: f"/evenements/{w.event.pk}/questions/poser/",
        REGISTRANT,
        302,
        data=lambda w: {"text": "Combien de temps dure le traitement ?"},
        roles=ROLES,
        check=lambda r, w, role: Question.objects.filter(
            author=w.rita, text__startswith="Combien"
        ).exists(),
    ),  # fmt: skip
    "events:question_vote": Route(
        "post",
        lambda w: f"/evenements/questions/{w.paula_question.pk}/voter/",
        REGISTRANT,
        302,
        roles=ROLES,
        check=lambda r, w, role: Question.objects.get(pk=w.paula_question.pk).votes_count == 1,
    ),  # fmt: skip
    "events:question_moderate": Route(
        "post",
        lambda w: f"/evenements/questions/{w.question.pk}/moderer/",
        frozenset({"moderator", "admin"}),
        302,
        data=lambda w: {"action": "pin"},
        roles=ROLES,
        check=lambda r, w, role: Question.objects.get(pk=w.question.pk).pinned,
    ),  # fmt: skip
    # --- API ---------------------------------------------------------------------------------
    "api_events": api(
        "get",
        lambda w: "/api/events/",
        READERS,
        roles=ROLES,
        check=lambda r, w, role: {e["id"] for e in r.json()["results"]} == _upcoming_for(w, role),
    ),  # fmt: skip
    "api_event": api(
        "get",
        lambda w: f"/api/events/{w.event.pk}/",
        PATIENTS,
        roles=ROLES,
        check=lambda r, w, role: (
            r.json()["my_registration"] == ("registered" if role == "registrant" else None)
        ),
    ),  # fmt: skip
    "api_event_cancel": api(
        "post",
        lambda w: f"/api/events/{w.to_cancel.pk}/cancel/",
        ADMIN,
        roles=ROLES,
        check=lambda r, w, role: r.json()["status"] == "cancelled",
    ),  # fmt: skip
    "api_event_registration": api(
        "post",
        lambda w: f"/api/events/{w.event.pk}/registration/",
        PATIENTS,
        201,
        roles=ROLES,
        check=lambda r, w, role: (
            r.json() == {"status": "registered", "waiting_position": None}
            and Registration.objects.filter(event=w.event, member=w.people[role]).exists()
        ),
    ),  # fmt: skip
    "api_event_questions": api(
        "get",
        lambda w: f"/api/events/{w.event.pk}/questions/",
        PATIENTS,
        roles=ROLES,
        # Paula asked anonymously: nobody gets her pseudonym from the API.
        check=lambda r, w, role: (
            {(q["id"], q["author"]) for q in r.json()}
            == {(w.question.pk, "Rita"), (w.paula_question.pk, None)}
        ),
    ),  # fmt: skip
    "api_event_vote": api(
        "post",
        lambda w: f"/api/events/questions/{w.paula_question.pk}/vote/",
        REGISTRANT,
        roles=ROLES,
        check=lambda r, w, role: r.json() == {"voted": True, "votes": 1},
    ),  # fmt: skip
    # --- walking challenges ------------------------------------------------------------------
    "events:challenge_log": Route(
        "post",
        lambda w: f"/evenements/{w.challenge.event_id}/defi/journee/",
        REGISTRANT,
        302,
        data=lambda w: {"day": _network_today().isoformat(), "amount": "4321"},
        roles=ROLES,
        check=lambda r, w, role: (
            list(
                Entry.objects.filter(participant__challenge=w.challenge).values_list(
                    "participant__member", "amount"
                )
            )
            == [(w.rita.pk, 4321)]
        ),
    ),  # fmt: skip
    "events:challenge_team": Route(
        "post",
        lambda w: f"/evenements/{w.challenge.event_id}/defi/equipe/",
        REGISTRANT,
        302,
        data=lambda w: {"action": "join", "join-code": w.team.code},
        roles=ROLES,
        check=lambda r, w, role: Participant.objects.get(member=w.rita).team_id == w.team.pk,
    ),  # fmt: skip
    "events:challenge_leaderboard": Route(
        "post",
        lambda w: f"/evenements/{w.challenge.event_id}/defi/classement/",
        REGISTRANT,
        302,
        data=lambda w: {"shown": "0"},
        roles=ROLES,
        check=lambda r, w, role: not Participant.objects.get(member=w.rita).on_leaderboard,
    ),  # fmt: skip
    "events:challenge_rules": Route(
        "post",
        lambda w: f"/evenements/{w.challenge.event_id}/defi/regles/",
        ADMIN,
        302,
        data=lambda w: {"unit": "steps", "goal": "250000", "ranking": "none"},
        roles=ROLES,
        check=lambda r, w, role: Challenge.objects.get(pk=w.challenge.pk).goal == 250_000,
    ),  # fmt: skip
    "api_event_challenge": api(
        "get",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/",
        PATIENTS,
        roles=ROLES,
        # Everyone who sees it gets the totals, the one team and Rita's pseudonym only.
        check=lambda r, w, role: (
            (r.json()["total"], [t["id"] for t in r.json()["teams"]]) == (3000, [w.team.pk])
            and [row["pseudonym"] for row in r.json()["leaderboard"]] == ["Rita"]
            and r.json()["participating"] == (role == "registrant")
        ),
    ),  # fmt: skip
    "api_event_challenge_entries": api(
        "get",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/entries/",
        REGISTRANT,
        roles=ROLES,
        check=lambda r, w, role: (
            r.json() == [{"day": _network_today().isoformat(), "amount": 3000}]
        ),
    ),  # fmt: skip
    "api_event_challenge_team": api(
        "post",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/team/",
        REGISTRANT,
        201,
        roles=ROLES,
        data=lambda w: {"name": "Tortues"},
        check=lambda r, w, role: (
            Participant.objects.get(member=w.rita).team.name == "Tortues"
            and r.json()["code"] == Participant.objects.get(member=w.rita).team.code
        ),
    ),  # fmt: skip
    "api_event_challenge_team_join": api(
        "post",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/team/join/",
        REGISTRANT,
        roles=ROLES,
        data=lambda w: {"code": w.team.code.lower()},
        check=lambda r, w, role: (
            Participant.objects.get(member=w.rita).team_id == w.team.pk
            and r.json() == {"id": w.team.pk, "name": "Lions", "code": w.team.code}
        ),
    ),  # fmt: skip
    "api_event_challenge_leaderboard": api(
        "put",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/leaderboard/",
        REGISTRANT,
        roles=ROLES,
        data=lambda w: {"shown": False},
        check=lambda r, w, role: (
            r.json() == {"shown": False}
            and not Participant.objects.get(member=w.rita).on_leaderboard
        ),
    ),  # fmt: skip
}

# The API's other methods on the same routes (one ROUTES entry per route name).
OTHER_METHODS = {
    "api_event (patch)": api(
        "patch",
        lambda w: f"/api/events/{w.draft_event.pk}/",
        ADMIN,
        roles=ROLES,
        data=lambda w: {"title": "Brouillon revu", "capacity": 12},
        check=lambda r, w, role: Event.objects.get(pk=w.draft_event.pk).capacity == 12,
    ),  # fmt: skip
    "api_events (post)": api(
        "post",
        lambda w: "/api/events/",
        ADMIN,
        201,
        roles=ROLES,
        data=lambda w: {
            "title": "Marche API",
            "format": "in_person",
            "description": "Ensemble.",
            "starts_at": "2031-05-04T10:00:00+02:00",
            "ends_at": "2031-05-04T12:00:00+02:00",
            "place": "Lyon",
            "status": "published",
            "speakers": [{"name": "Dr Martin"}],
        },
        check=lambda r, w, role: Event.objects.filter(title="Marche API").exists(),
    ),  # fmt: skip
    "api_event_questions (post)": api(
        "post",
        lambda w: f"/api/events/{w.event.pk}/questions/",
        REGISTRANT,
        201,
        roles=ROLES,
        data=lambda w: {"text": "Et après le traitement ?", "anonymous": True},
        check=lambda r, w, role: r.json()["mine"] is True and r.json()["author"] is None,
    ),  # fmt: skip
    "api_event_registration (get)": api(
        "get",
        lambda w: f"/api/events/{w.event.pk}/registration/",
        frozenset({"registrant"}),
        roles=ROLES,
        check=lambda r, w, role: r.json()["status"] == "registered",
    ),  # fmt: skip
    "api_event_registration (delete)": api(
        "delete",
        lambda w: f"/api/events/{w.event.pk}/registration/",
        PATIENTS,
        204,
        roles=ROLES,
        check=lambda r, w, role: (
            not Registration.objects.filter(event=w.event, member=w.people[role]).exists()
        ),
    ),  # fmt: skip
    "api_event_challenge_entries (post)": api(
        "post",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/entries/",
        REGISTRANT,
        roles=ROLES,
        data=lambda w: {"day": _network_today().isoformat(), "amount": 5555},
        # The same day again: corrected in place, one row.
        check=lambda r, w, role: (
            list(
                Entry.objects.filter(participant__challenge=w.challenge).values_list(
                    "amount", flat=True
                )
            )
            == [5555]
        ),
    ),  # fmt: skip
    # Paula (in the team Lions) reads its code and leaves it; Rita is in no team (404).
    "api_event_challenge_team (get)": api(
        "get",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/team/",
        frozenset({"paula"}),
        roles=(*ROLES, "paula"),
        check=lambda r, w, role: (
            r.json() == {"id": w.team.pk, "name": "Lions", "code": w.team.code}
        ),
    ),  # fmt: skip
    "api_event_challenge_team (delete)": api(
        "delete",
        lambda w: f"/api/events/{w.challenge.event_id}/challenge/team/",
        frozenset({"paula", "registrant"}),
        204,
        roles=(*ROLES, "paula"),
        # Whoever leaves is in no team; Paula's leaving empties Lions.
        check=lambda r, w, role: (
            Participant.objects.get(member=w.people.get(role) or w.paula).team_id is None
            and Participant.objects.filter(team=w.team).count() == (role == "registrant")
        ),
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(OTHER_METHODS))
def test_events_api_other_methods_matrix(client_as, world, route, role):
    check(OTHER_METHODS, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_events_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


def test_the_matrix_covers_each_kind_of_reader():
    assert set(ROLES) >= {"caregiver", "registrant", "member", "other_network", "anonymous"}
    assert matrix.SIGNED_OUT <= set(ROLES)

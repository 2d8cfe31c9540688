"""Walking challenges: a day per participant (logged, corrected until the end, one row even
when sent twice at once), the limits of a day, totals summed by the database, teams joined by
code, a leaderboard by pseudonym that members may leave or no ranking at all, the page (its
queries constant with 3 or 30 participants), the form's errors and the API."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from provisioning import services as provisioning
from tenant_apps.events import challenge_selectors, challenge_services, services
from tenant_apps.events.models import Challenge, Entry, Event
from tenant_apps.members.models import Role
from tests.members.factories import account

pytestmark = pytest.mark.django_db

STEPS, MINUTES = Challenge.Unit.STEPS, Challenge.Unit.MINUTES


def _midnight(days_ago: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def challenge_make(author, *, days_ago: int = 3, **rules) -> Challenge:
    """A published 15-day challenge that started ``days_ago`` days ago (local midnight)."""
    values = {"title": "15 jours, 1 million de pas", "description": "Marchons ensemble.",
              "goal": 1_000_000, **rules}  # fmt: skip
    return challenge_services.challenge_create(
        author=author, starts_at=_midnight(days_ago), **values
    )


def join(challenge: Challenge, *names: str):
    people = [account(name).member for name in names]
    for member in people:
        services.registration_create(member=member, event=challenge.event)
    return people


def today(offset: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


@pytest.fixture
def challenge(admin):
    return challenge_make(admin, team_mode=True)


def test_a_challenge_lasts_fifteen_days_by_default(challenge):
    first, last = challenge_services.challenge_days(challenge.event)
    assert (first, last) == (today(-3), today(11))
    assert challenge.event.format == Event.Format.CHALLENGE
    assert challenge.event.ends_at - challenge.event.starts_at == datetime.timedelta(days=15)


def test_a_day_is_one_row_corrected_in_place(challenge):
    (ana,) = join(challenge, "Ana")
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(-1), amount=4000)
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(-1), amount=6500)
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=1200)
    rows = list(Entry.objects.order_by("day").values_list("day", "amount"))
    assert rows == [(today(-1), 6500), (today(), 1200)]


@pytest.mark.parametrize(
    ("day", "amount", "field", "message"),
    [
        (1, 3000, "day", "pas encore arrivé"),
        (12, 3000, "day", "après la fin"),
        (-4, 3000, "day", "avant le début"),
        (0, -1, "amount", "supérieur à zéro"),
        (0, 100_001, "amount", "pas par jour au plus"),
    ],
)
def test_the_limits_of_a_day(challenge, day, amount, field, message):
    (ana,) = join(challenge, "Ana")
    with pytest.raises(ValidationError) as refused:
        challenge_services.entry_log(member=ana, challenge=challenge, day=today(day), amount=amount)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Entry.objects.exists()


def test_minutes_in_the_accessible_mode(admin):
    challenge = challenge_make(admin, unit=MINUTES, goal=20_000)
    (ana,) = join(challenge, "Ana")
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=1440)
    with pytest.raises(ValidationError) as refused:
        challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=1441)
    assert "minutes par jour au plus" in refused.value.message_dict["amount"][0]
    assert Entry.objects.get().amount == 1440


def test_only_registered_members_log_and_nobody_after_the_end(admin, challenge):
    (ana,) = join(challenge, "Ana")
    bob = account("Bob").member
    with pytest.raises(Http404):
        challenge_services.entry_log(member=bob, challenge=challenge, day=today(), amount=10)
    later = challenge.event.ends_at + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="terminé"):
        challenge_services.entry_log(
            member=ana, challenge=challenge, day=today(-1), amount=10, now=later
        )
    services.event_cancel(event=challenge.event, by=admin)
    challenge.event.refresh_from_db()
    with pytest.raises(ValidationError, match="annulé"):
        challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=10)
    assert not Entry.objects.exists()


def test_totals_teams_and_the_leaderboard_come_from_the_database(challenge):
    ana, ben, cyd, dee = join(challenge, "Ana", "Ben", "Cyd", "Dee")
    team = challenge_services.team_create(member=ana, challenge=challenge, name=" Les  Lions ")
    assert team.name == "Les Lions" and len(team.code) == 6
    challenge_services.team_join(member=ben, challenge=challenge, code=team.code.lower())
    log = challenge_services.entry_log
    log(member=ana, challenge=challenge, day=today(-2), amount=5000)
    log(member=ana, challenge=challenge, day=today(-1), amount=7000)
    log(member=ben, challenge=challenge, day=today(-1), amount=9000)
    log(member=cyd, challenge=challenge, day=today(), amount=12000)
    log(member=dee, challenge=challenge, day=today(), amount=12000)
    challenge_services.leaderboard_choose(member=dee, challenge=challenge, shown=False)

    board = challenge_selectors.board_for(ana, challenge, ana.event_registrations.get())
    assert (board.total, board.people, board.my_total) == (45000, 4, 12000)
    assert board.percent == 4
    assert [(t.name, t.size, t.total) for t in board.teams] == [("Les Lions", 2, 21000)]
    assert board.my_team.total == 21000
    # Dee left the leaderboard: her steps count, her pseudonym is not shown; ties share a rank.
    assert [(r.rank, r.pseudonym, r.total, r.me) for r in board.leaderboard] == [
        (1, "Ana", 12000, True),
        (1, "Cyd", 12000, False),
        (3, "Ben", 9000, False),
    ]
    assert [amount for _day, amount in board.my_days[:4]] == [None, 7000, 5000, None]

    with pytest.raises(ValidationError) as refused:
        challenge_services.team_join(member=cyd, challenge=challenge, code="ZZZZZZ")
    assert "code" in refused.value.message_dict
    challenge_services.team_leave(member=ben, challenge=challenge)
    assert challenge_selectors.teams_of(challenge)[0].total == 12000


def test_no_ranking_shows_only_the_collective_goal(admin):
    challenge = challenge_make(admin, ranking=Challenge.Ranking.NONE, team_mode=True)
    ana, ben = join(challenge, "Ana", "Ben")
    lions = challenge_services.team_create(member=ana, challenge=challenge, name="Lions")
    challenge_services.team_create(member=ben, challenge=challenge, name="Tigres")
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=3000)
    board = challenge_selectors.board_for(ana, challenge, ana.event_registrations.get())
    assert board.leaderboard == []
    assert [team.pk for team in board.teams] == [lions.pk]  # no table of rival teams
    with pytest.raises(Http404):
        challenge_services.team_join(member=ana, challenge=challenge_make(admin), code="X")


def _page(client, challenge):
    return client.get(f"/evenements/{challenge.event_id}/")


def test_the_page_shows_progress_in_words_and_honours_leaving_the_leaderboard(challenge, client_as):
    ana, ben = join(challenge, "Ana", "Ben")
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=5000)
    challenge_services.entry_log(member=ben, challenge=challenge, day=today(), amount=8000)
    challenge_services.leaderboard_choose(member=ben, challenge=challenge, shown=False)
    response = _page(client_as(ana), challenge)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<progress id="collective" max="100" value="1"', html)
    text = re.sub(r"[\s\xa0\u202f]+", " ", html)
    # The progress bar has its words: the network's total, the goal, the share.
    assert "13 000 pas sur 1 000 000 (1 %)" in text
    leaderboard = html.split('id="leaderboard"')[1].split("</table>")[0]
    assert "Ana" in leaderboard and "Ben" not in leaderboard
    assert "@example.org" not in html
    assert 'id="log-day"' in html and 'id="team-link"' in html


def test_the_page_queries_do_not_grow_with_participants(
    admin, client_as, django_assert_max_num_queries
):
    challenge = challenge_make(admin, team_mode=True)
    viewer, *others = join(challenge, "Vic", "Pia", "Pol")
    team = challenge_services.team_create(member=viewer, challenge=challenge, name="Équipe")

    def fill(people):
        for n, member in enumerate(people):
            if n % 2:
                challenge_services.team_join(member=member, challenge=challenge, code=team.code)
            for back in range(3):
                challenge_services.entry_log(
                    member=member, challenge=challenge, day=today(-back), amount=1000 + n
                )

    fill([viewer, *others])
    client = client_as(viewer)
    _page(client, challenge)  # the first request fills the per-process caches (domain, branding)
    with django_assert_max_num_queries(20) as small:
        assert _page(client, challenge).status_code == 200
    more = join(challenge, *(f"Marcheur{n}" for n in range(27)))
    fill(more)
    with django_assert_max_num_queries(20) as large:
        response = _page(client, challenge)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert response.content.count(b"<tr><td>") >= 20  # the leaderboard holds its 20 first


def test_the_form_comes_back_with_the_typed_values_and_clear_errors(challenge, client_as):
    (ana,) = join(challenge, "Ana")
    client = client_as(ana)
    url = f"/evenements/{challenge.event_id}/defi/journee/"
    future = today(2).isoformat()
    response = client.post(url, {"day": future, "amount": "7500"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{future}"' in html and 'value="7500"' in html
    assert "pas encore arrivé" in html and 'aria-invalid="true"' in html
    response = client.post(url, {"day": today().isoformat(), "amount": "250000"})
    assert "pas par jour au plus" in response.content.decode()
    response = client.post(url, {"day": today().isoformat(), "amount": "abc"})
    assert "nombre entier" in response.content.decode()
    assert not Entry.objects.exists()
    response = client.post(url, {"day": today().isoformat(), "amount": "7500"})
    assert response.status_code == 302 and response["Location"].endswith("#challenge")
    response = client.get(url, {"jour": today().isoformat()})
    assert 'value="7500"' in response.content.decode()  # correcting shows what was logged


def test_teams_and_rules_pages(admin, challenge, client_as):
    ana, ben = join(challenge, "Ana", "Ben")
    url = f"/evenements/{challenge.event_id}/defi/equipe/"
    response = client_as(ana).post(url, {"action": "create", "team-name": "Lions"})
    assert response.status_code == 302
    code = challenge.teams.get().code
    response = client_as(ben).post(url, {"action": "join", "join-code": "nope"})
    assert response.status_code == 200 and "Aucune équipe de ce défi" in response.content.decode()
    response = client_as(ben).post(url, {"action": "join", "join-code": code})
    assert response.status_code == 302
    assert sorted(challenge.participants.values_list("team__name", flat=True)) == ["Lions"] * 2

    rules = f"/evenements/{challenge.event_id}/defi/regles/"
    response = client_as(admin).post(rules, {"unit": "minutes", "goal": "30000", "ranking": "none"})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.unit, challenge.goal, challenge.team_mode, challenge.ranking) == (
        MINUTES,
        30000,
        False,
        "none",
    )
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=30)
    response = client_as(admin).post(rules, {"unit": "steps", "goal": "1", "ranking": "none"})
    assert response.status_code == 200 and "ne peut plus changer" in response.content.decode()


def test_the_api_logs_and_lists_my_days(challenge, client_as):
    (ana,) = join(challenge, "Ana")
    client = client_as(ana)
    url = f"/api/events/{challenge.event_id}/challenge/entries/"
    response = client.post(url, {"day": today(-1).isoformat(), "amount": 4200},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {"day": today(-1).isoformat(), "amount": 4200}
    response = client.post(url, {"day": today(1).isoformat(), "amount": 10},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "day" in response.json()
    response = client.post(url, {"day": today().isoformat(), "amount": 100_001},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "amount" in response.json()
    assert client.get(url).json() == [{"day": today(-1).isoformat(), "amount": 4200}]
    board = client.get(f"/api/events/{challenge.event_id}/challenge/").json()
    assert (board["total"], board["my_total"], board["participating"]) == (4200, 4200, True)
    assert board["leaderboard"] == [{"rank": 1, "pseudonym": "Ana", "total": 4200, "me": True}]


def test_the_api_starts_joins_and_leaves_teams_and_the_leaderboard(challenge, client_as):
    ana, ben = join(challenge, "Ana", "Ben")
    base = f"/api/events/{challenge.event_id}/challenge"
    client, other = client_as(ana), client_as(ben)
    assert client.get(f"{base}/team/").status_code == 404  # in no team yet
    response = client.post(f"{base}/team/", {"name": "  Les   Lions "},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    team = response.json()
    assert team["name"] == "Les Lions" and len(team["code"]) == challenge_services.CODE_LENGTH
    assert client.get(f"{base}/team/").json() == team
    # The same name again, a wrong code, or a missing one: 400 with the field's error.
    response = other.post(f"{base}/team/", {"name": "les lions"}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["name"]
    for body in ({"code": "ZZZZZZ"}, {}):
        response = other.post(f"{base}/team/join/", body, content_type="application/json")
        assert response.status_code == 400 and list(response.json()) == ["code"]
    assert challenge_selectors.participant_of(ben, challenge) is None or (
        challenge_selectors.participant_of(ben, challenge).team is None
    )
    response = other.post(f"{base}/team/join/", {"code": f" {team['code'].lower()} "},
                          content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json() == team
    assert other.delete(f"{base}/team/").status_code == 204
    assert challenge_selectors.participant_of(ben, challenge).team is None
    assert other.get(f"{base}/team/").status_code == 404
    # Leaving the leaderboard, then coming back; the days count all along.
    challenge_services.entry_log(member=ana, challenge=challenge, day=today(), amount=2500)
    url = f"{base}/leaderboard/"
    response = client.put(url, {"shown": False}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"shown": False}
    board = client.get(f"{base}/").json()
    assert (board["leaderboard"], board["total"]) == ([], 2500)
    assert client.put(url, {}, content_type="application/json").status_code == 400
    assert client.put(url, {"shown": True}, content_type="application/json").json() == {
        "shown": True
    }
    assert [row["pseudonym"] for row in client.get(f"{base}/").json()["leaderboard"]] == ["Ana"]


def test_the_team_api_is_404_without_teams_or_ranking(admin, client_as):
    plain = challenge_make(admin, ranking=Challenge.Ranking.NONE)
    (ana,) = join(plain, "Ana")
    client, base = client_as(ana), f"/api/events/{plain.event_id}/challenge"
    assert (
        client.post(f"{base}/team/", {"name": "X"}, content_type="application/json").status_code
        == 404
    )
    assert client.post(f"{base}/team/join/", {"code": "ABCDEF"},
                       content_type="application/json").status_code == 404  # fmt: skip
    assert client.put(f"{base}/leaderboard/", {"shown": False},
                      content_type="application/json").status_code == 404  # fmt: skip


def test_the_schema_documents_the_challenge_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--urlconf", "config.urls_tenant",
                 "--validate", "--fail-on-warn")  # fmt: skip
    text = out.read_text()
    for operation in ("events_challenge_read", "events_challenge_entries_list",
                      "events_challenge_entries_log", "events_challenge_team_read",
                      "events_challenge_team_create", "events_challenge_team_leave",
                      "events_challenge_team_join",
                      "events_challenge_leaderboard_choose"):  # fmt: skip
        assert f"operationId: {operation}" in text


@pytest.mark.django_db(transaction=True)
def test_the_same_day_sent_twice_at_once_is_one_row(drop_tenant_schemas):
    """Eight threads (each its own connection) log the same first day of a new participant at
    the same moment: one participant row, one entry, no error."""
    provisioning.platform_ensure()
    network = provisioning.tenant_create(
        slug="delta", name="Réseau delta", organization_slug="asso-delta",
        admin_email="admin@delta.example", actor="test",
    ).tenant  # fmt: skip
    with tenant_context(network):
        admin = account("Alice", Role.ADMIN).member
        challenge = challenge_make(admin)
        (ana,) = join(challenge, "Ana")
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def send(amount: int) -> None:
        try:
            with tenant_context(network):
                start.wait()
                challenge_services.entry_log(
                    member=ana, challenge=challenge, day=today(), amount=amount
                )
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(1000 + n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with tenant_context(network):
        assert challenge.participants.count() == 1
        (entry,) = Entry.objects.all()
        assert 1000 <= entry.amount < 1008
    with schema_context("public"):
        connection.set_schema_to_public()

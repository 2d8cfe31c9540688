"""The counting engine: who is counted, what is hidden, the noise, the budget, the frozen result.

Where a test needs exact numbers it replaces the noise by nothing (``exact``): what is hidden
and why does not depend on the draw, only the published values do.
"""

import dataclasses
import json
import random
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tenant_apps.events.models import Event, Registration
from tenant_apps.forums.models import Category as ForumCategory
from tenant_apps.forums.models import Group, Topic
from tenant_apps.insights import access, engine, selectors, services
from tenant_apps.insights.engine import TOTAL, Table
from tenant_apps.insights.models import BudgetSpend, PrivacyBudget, Release
from tenant_apps.knowledge.models import Category as Theme
from tenant_apps.knowledge.models import Question
from tenant_apps.members import services as members
from tenant_apps.members.models import AuditEntry, Consent, ProfileType, Role
from tests.insights.world import params, people
from tests.members.factories import account

pytestmark = pytest.mark.django_db

BRETAGNE, NORMANDIE = "53", "28"
PATIENT, CAREGIVER = ProfileType.PATIENT, ProfileType.CAREGIVER


@pytest.fixture
def exact(monkeypatch):
    """No noise: published values are the true counts (the engine's rules stay)."""
    monkeypatch.setattr(engine, "noised", lambda values, **_kw: list(values))


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


@pytest.fixture
def moderator(tenant):
    return account("Mona", Role.MODERATOR).member


@pytest.fixture
def world(tenant, admin, moderator):
    """Bretagne has 3 consenting members; three régions have enough to publish. (Made in
    bulk after the staff's accounts, which a plan's member limit would otherwise refuse.)"""
    return {
        "bretagne": people(3, department="29"),
        "idf_patients": people(12, department="75"),
        "idf_caregivers": people(11, department="93", profile_type=CAREGIVER),
        "occitanie_patients": people(14, department="31"),
        "occitanie_caregivers": people(13, department="34", profile_type=CAREGIVER),
        "loire": people(20, department="44"),
        # Not counted: never consented, or withdrew.
        "refusing": people(30, department="14", consent=False),
    }


def grid(result: dict) -> dict[tuple[int, int], int | None]:
    """A stored result's values by position (engine.Table's)."""
    values = {}
    for r, row in enumerate(result["cells"]):
        for c, value in enumerate(row):
            values[(r, c)] = value
    for r, value in enumerate(result["row_totals"]):
        values[(r, TOTAL)] = value
    for c, value in enumerate(result["column_totals"]):
        values[(TOTAL, c)] = value
    values[(TOTAL, TOTAL)] = result["total"]
    return values


def solvable(table: Table, hidden: set) -> set:
    """The hidden values the lines' equations give alone, by linear algebra over the
    rationals (the engine finds them as bridges of a graph; this checks it the long way):
    one is determined when its column, in reduced row echelon form, is a pivot whose row
    has no other non-zero entry."""
    unknowns = sorted(hidden)
    column = {p: i for i, p in enumerate(unknowns)}
    rows = []
    for parts, total in table.lines():
        row = [Fraction(0)] * len(unknowns)
        for p in parts:
            if p in column:
                row[column[p]] += 1
        if total in column:
            row[column[total]] -= 1
        if any(row):
            rows.append(row)
    found, r = set(), 0
    pivots = []
    for col in range(len(unknowns)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col]:
                factor = rows[i][col]
                rows[i] = [x - factor * y for x, y in zip(rows[i], rows[r], strict=True)]
        pivots.append((r, col))
        r += 1
    for row, col in pivots:
        if sum(1 for x in rows[row] if x) == 1:
            found.add(unknowns[col])
    return found


def assert_nothing_recomputable(table: Table, hidden: set) -> None:
    """Against every total: no line (a row, a column, the row totals, the column totals,
    each with its total) has exactly one hidden value, and no combination of lines gives
    a hidden value alone."""
    for parts, total in table.lines():
        assert sum(p in hidden for p in [*parts, total]) != 1, (parts, total)
    assert engine.recomputable(table, hidden) == set() == solvable(table, hidden)


# --- Suppression, as a pure function ------------------------------------------------------------


def test_the_bridges_are_exactly_what_linear_algebra_recomputes():
    rng = random.Random(7)  # noqa: S311 - reproducible patterns, not a secret
    for _ in range(300):
        table = Table(rng.randint(1, 4), rng.choice([0, 1, 2, 3]), {})
        hidden = {p for p in table.positions() if rng.random() < 0.5}
        assert engine.recomputable(table, hidden) == solvable(table, hidden)


def test_complementary_suppression_leaves_nothing_to_recompute_in_any_table():
    rng = random.Random(16)  # noqa: S311 - reproducible patterns, not a secret
    for _ in range(150):
        rows, columns = rng.randint(1, 6), rng.choice([0, 1, 2, 3, 5])
        table = Table(rows, columns, {})
        for position in table.positions():
            table.values[position] = rng.choice([0, 1, 3, 8, 12, 15, 40])
        primary = {p for p, v in table.values.items() if v < 10}
        hidden = engine.complementary(table, primary, table.values)
        assert primary <= hidden
        assert_nothing_recomputable(table, hidden)


def test_the_audit_finds_what_the_line_rule_alone_misses():
    # Every line holds 0 or at least 2 hidden values, yet the lines together give (2, 2):
    # (found by a search over random patterns).
    table = Table(3, 3, {})
    for position in table.positions():
        table.values[position] = 20
    hidden = {
        (TOTAL, 1),
        (TOTAL, 2),
        (0, 1),
        (0, 2),
        (1, TOTAL),
        (1, 0),
        (2, TOTAL),
        (2, 0),
        (2, 2),
    }
    for parts, total in table.lines():
        assert sum(p in hidden for p in [*parts, total]) != 1
    assert engine.recomputable(table, hidden) == {(2, 2)}
    fixed = engine.complementary(table, hidden, table.values)
    assert hidden < fixed
    assert_nothing_recomputable(table, fixed)


# --- A table of members by région and profile ----------------------------------------------------


def test_a_region_of_three_is_hidden_with_every_value_that_would_reveal_it(world, exact):
    built = engine.build(params())
    result = built.as_json()
    regions = [row["key"] for row in result["rows"]]
    profiles = [column["key"] for column in result["columns"]]
    b, p, c = regions.index(BRETAGNE), profiles.index(PATIENT), profiles.index(CAREGIVER)
    values = grid(result)

    assert values[(b, p)] is None and values[(b, TOTAL)] is None
    assert all(values[(b, k)] is None for k in range(len(profiles)))
    assert_nothing_recomputable(built.table, built.hidden)
    # What an outsider could try with each total: the row's, the column's, the grand total.
    bretagne_row = [values[(b, k)] for k in range(len(profiles))]
    assert sum(v is None for v in bretagne_row) >= 2
    patients = [values[(r, p)] for r in range(len(regions))]
    assert sum(v is None for v in patients) >= 2
    region_totals = [values[(r, TOTAL)] for r in range(len(regions))]
    assert sum(v is None for v in region_totals) >= 2
    # Published: counts of 10 and more, exactly (no noise here), totals of distinct members.
    i, o = regions.index("11"), regions.index("76")
    assert values[(i, p)] == 12 and values[(i, c)] == 11 and values[(o, c)] == 13
    assert values[(TOTAL, TOTAL)] == 3 + 12 + 11 + 14 + 13 + 20
    assert values[(TOTAL, c)] == 24
    assert not any(v is not None and v < 10 for v in values.values())
    # Nothing of the hidden values is stored, not even how many members they hold.
    assert "3" not in {str(v) for v in values.values()}
    assert built.hidden == {pos for pos, v in values.items() if v is None}


def test_with_noise_the_small_region_stays_hidden_and_no_value_is_under_the_threshold(world):
    for _ in range(3):
        built = engine.build(params())
        result = built.as_json()
        b = [row["key"] for row in result["rows"]].index(BRETAGNE)
        values = grid(result)
        assert values[(b, TOTAL)] is None and values[(b, 0)] is None
        assert all(v is None or v >= 10 for v in values.values())
        assert_nothing_recomputable(built.table, built.hidden)
    assert built.sensitivity == 1 + 1 + 1 + 1  # a member: one cell, one row, one column, all
    assert built.scale == 4.0


def test_non_consenting_withdrawn_and_erased_members_are_never_counted(world, exact):
    withdrawn = world["loire"][:4]
    for member in withdrawn:
        members.consent_withdraw(member=member, kind=Consent.Kind.STATISTICS)
    erased = world["loire"][4]
    members.member_erase(member=erased)
    result = engine.build(params(dimensions=("region",))).as_json()
    regions = [row["key"] for row in result["rows"]]
    assert result["row_totals"][regions.index("52")] == 15
    assert result["row_totals"][regions.index(NORMANDIE)] is None
    assert result["total"] == 3 + 12 + 11 + 14 + 13 + 15


def test_a_withdrawal_changes_later_releases_only(world, admin, exact):
    release = services.release_publish(member=admin, title="Adhérents", params=params())
    frozen = json.dumps(release.result, sort_keys=True)
    regions = [row["key"] for row in release.result["rows"]]
    i = regions.index("11")
    assert release.result["cells"][i][0] == 12

    members.consent_withdraw(member=world["idf_patients"][0], kind=Consent.Kind.STATISTICS)

    release.refresh_from_db()
    assert json.dumps(release.result, sort_keys=True) == frozen
    later = services.release_publish(member=admin, title="Adhérents", params=params())
    assert later.result["cells"][i][0] == 11
    # Given again, counted again from then on.
    members.consent_give(member=world["idf_patients"][0], kind=Consent.Kind.STATISTICS)
    assert engine.build(params()).as_json()["cells"][i][0] == 12


def test_a_member_with_two_pathologies_counts_in_both_cells_and_once_in_the_total(tenant, exact):
    lung = members.pathology_create(name="Cancer du poumon")
    meso = members.pathology_create(name="Mésothéliome")
    people(10, pathologies=(lung, meso))
    people(5, pathologies=(lung,))
    people(10)
    result = engine.build(params(dimensions=("pathology",))).as_json()
    by_key = dict(zip([r["key"] for r in result["rows"]], result["row_totals"], strict=True))
    assert by_key == {str(lung.pk): 15, str(meso.pk): 10, "-": 10}
    assert result["total"] == 25
    # Bound to one cell each: the ten with two count in one of them (chosen by a hash).
    one = engine.build(params(dimensions=("pathology",), contribution_bound=1)).as_json()
    assert sum(v or 0 for v in one["row_totals"][:2]) + 10 <= 25 + 5
    assert one["total"] == 25


def test_activity_counts_distinct_members_by_theme_and_month(tenant, exact):
    theme = Theme.objects.create(name="Droits", slug="droits")
    askers = people(11)
    Question.objects.bulk_create(
        [Question(asker=m, text="?", category=theme) for m in askers]
        + [Question(asker=m, text="?", category=theme) for m in askers[:5]]  # twice: once
        + [Question(asker=m, text="?") for m in people(3, consent=False)]
    )
    today = engine.timezone.localdate()
    choice = params(
        measure="questions",
        dimensions=("theme", "month"),
        period_start=today.replace(day=1),
        period_end=today,
    )
    result = engine.build(choice).as_json()
    assert result["rows"][0] == {"key": str(theme.pk), "label": "Droits"}
    # Labels are frozen in the network's language, whatever the admin's pages are in.
    with translation.override("en"):
        labels = engine.build(params(dimensions=("profile_type",))).as_json()["rows"]
    assert labels[0] == {"key": "patient", "label": "Patient"}
    assert labels[2] == {"key": "caregiver", "label": "Proche aidant·e"}
    assert result["columns"] == [
        {"key": today.strftime("%Y-%m"), "label": result["columns"][0]["label"]}
    ]
    assert result["row_totals"][0] == 11 and result["total"] == 11


def test_topics_count_space_forums_only_and_events_count_those_attended(tenant, exact):
    now = engine.timezone.now()
    forum = ForumCategory.objects.filter(group=None).order_by("pk").first()
    group = Group.objects.create(
        space=forum.space, name="Stade 4", slug="stade-4", description="…", status="approved"
    )
    group_forum = ForumCategory.objects.create(
        space=forum.space, group=group, name="Stade 4", slug="stade-4-forum"
    )
    authors = people(10)
    Topic.objects.bulk_create(
        [Topic(category=forum, author=m, title="t", last_post_at=now) for m in authors]
        + [Topic(category=group_forum, author=m, title="t", last_post_at=now) for m in authors]
        + [
            Topic(category=forum, author=m, title="t", last_post_at=now, status="hidden")
            for m in people(5)
        ]
    )
    since = (now - timedelta(days=40)).date()
    topics = engine.build(params(measure="topics", dimensions=("theme",), period_start=since))
    result = topics.as_json()
    assert str(group_forum.pk) not in [row["key"] for row in result["rows"]]
    assert result["total"] == 10
    assert result["row_totals"][[r["key"] for r in result["rows"]].index(str(forum.pk))] == 10

    def event(**fields):
        return Event.objects.create(
            title="Marche", description="", description_html="", format="in_person", **fields
        )

    past = event(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1), status="published"
    )
    coming = event(
        starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2), status="published"
    )
    cancelled = event(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1), status="cancelled"
    )
    walkers, waiting = people(10), people(4)
    Registration.objects.bulk_create(
        [Registration(event=past, member=m, status="registered") for m in walkers]
        + [Registration(event=past, member=m, status="waiting") for m in waiting]
        + [
            Registration(event=e, member=m, status="registered")
            for e in (coming, cancelled)
            for m in waiting
        ]
    )
    events = engine.build(params(measure="events", dimensions=("theme",), period_start=since))
    result = events.as_json()
    formats = [row["key"] for row in result["rows"]]
    assert result["row_totals"][formats.index("in_person")] == 10 and result["total"] == 10


@pytest.mark.parametrize(
    "measure,dimensions",
    [
        ("members", ("pathology", "profile_type")),
        ("topics", ("theme", "region")),
        ("warnings", ("theme",)),
        ("questions", ("profile_type", "month")),
        ("events", ("theme", "month")),
    ],
)
def test_every_measure_builds(tenant, measure, dimensions):
    result = engine.build(params(measure=measure, dimensions=dimensions)).as_json()
    assert result["total"] is None  # nobody has consented in an empty network


def test_a_build_takes_the_same_queries_whatever_the_number_of_members(
    tenant, django_assert_num_queries
):
    people(5, department="29")
    with django_assert_num_queries(2):  # the pathologies' list, the aggregate
        engine.build(params(dimensions=("pathology", "region")))
    people(60, department="75")
    with django_assert_num_queries(2):
        engine.build(params(dimensions=("pathology", "region")))


# --- Choices -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "choice,field",
    [
        ({"threshold": 4}, "threshold"),
        ({"threshold": 10**6}, "threshold"),
        ({"epsilon": "0"}, "epsilon"),
        ({"epsilon": "nan"}, "epsilon"),
        ({"epsilon": "9"}, "epsilon"),
        ({"dimensions": ("region", "region")}, "dimensions"),
        ({"dimensions": ("region", "month", "theme")}, "dimensions"),
        ({"dimensions": ("month",)}, "dimensions"),  # members have no month
        ({"measure": "posts"}, "measure"),
        ({"contribution_bound": 0}, "contribution_bound"),
    ],
)
def test_bad_choices_are_refused_by_field(choice, field):
    with pytest.raises(ValidationError) as refused:
        params(**choice)
    assert field in refused.value.message_dict


def test_the_threshold_cannot_go_under_five_even_in_the_database(admin):
    release = services.release_draft_create(member=admin, title="Essai", params=params())
    release.threshold = 4
    with pytest.raises(ValidationError):
        release.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(threshold=4)
    assert params(threshold=5).threshold == 5


# --- Preview, publication, budget ---------------------------------------------------------------


def _preview_output(preview: services.Preview) -> dict:
    """Everything a preview tells, but the choices it was given."""
    shown = dataclasses.asdict(preview)
    del shown["params"]
    return shown


def test_the_preview_counts_nothing_and_spends_nothing(world, admin):
    preview = services.release_preview(member=admin, params=params())
    assert len(preview.rows) == 19 and len(preview.columns) == 5  # régions, profiles: lists
    assert preview.figures == 20 * 6
    assert not {"hidden", "hidden_count", "published_count"} & set(_preview_output(preview))
    assert preview.fits_budget and preview.budget.left == Decimal("3.00")
    assert not PrivacyBudget.objects.exists() and not Release.objects.exists()


def test_no_threshold_and_no_member_changes_a_preview(tenant, admin, django_assert_num_queries):
    """A preview that said which values a threshold hides would give every count away to an
    admin trying thresholds: it runs no count, and the data and the threshold change nothing."""
    choice = {"dimensions": ("pathology", "region")}
    services.release_preview(member=admin, params=params(**choice))  # the admin's checks, once
    # The pathologies' list and the budget; no query reads a counted table.
    with CaptureQueriesContext(connection) as empty, django_assert_num_queries(2):
        before = _preview_output(services.release_preview(member=admin, params=params(**choice)))
    people(3, department="29")
    people(30, department="75")
    with CaptureQueriesContext(connection) as crowded, django_assert_num_queries(2):
        after = _preview_output(services.release_preview(member=admin, params=params(**choice)))
    assert after == before
    for query in [*empty.captured_queries, *crowded.captured_queries]:
        assert "consent" not in query["sql"] and "count(" not in query["sql"].lower()
    for threshold in (5, 6, 20, 31, 1000):
        shown = services.release_preview(member=admin, params=params(threshold=threshold, **choice))
        assert _preview_output(shown) == before


def test_publishing_spends_the_years_budget_and_refuses_beyond_it(world, admin):
    draft = services.release_draft_create(member=admin, title="Un", params=params(epsilon="2"))
    first = services.release_publish(member=admin, release=draft)
    assert first.status == Release.Status.PUBLISHED and first.published_at
    assert first.parameters["library"].startswith("opendp ")
    services.release_publish(member=admin, title="Deux", params=params(epsilon="1"))
    status = selectors.budget_status()
    assert status.spent == Decimal("3.00") and status.left == 0

    third = services.release_draft_create(member=admin, title="Trois", params=params(epsilon="0.5"))
    preview = services.release_preview(member=admin, params=params(epsilon="0.5"))
    assert not preview.fits_budget
    with pytest.raises(ValidationError) as refused:
        services.release_publish(member=admin, release=third)
    message = refused.value.message_dict["epsilon"][0]
    assert message == preview.refusal
    assert "0,50" in message or "0.50" in message
    third.refresh_from_db()
    assert third.status == Release.Status.DRAFT and third.result == {}
    assert sum(s.epsilon for s in BudgetSpend.objects.all()) == Decimal("3.00")
    assert PrivacyBudget.objects.get().epsilon_spent == Decimal("3.00")


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "Bilan\x00", "x" * 1_000_000])
def test_a_bad_title_is_refused_on_its_field(admin, title):
    with pytest.raises(ValidationError) as refused:
        services.release_draft_create(member=admin, title=title, params=params())
    assert "title" in refused.value.message_dict
    assert not Release.objects.exists()


def test_a_second_click_publishes_once(world, admin):
    draft = services.release_draft_create(member=admin, title="Un", params=params())
    services.release_publish(member=admin, release=draft)
    with pytest.raises(ValidationError):
        services.release_publish(member=admin, release=draft)
    assert BudgetSpend.objects.count() == 1
    with pytest.raises(ValidationError):
        services.release_draft_update(member=admin, release=draft, title="X", params=params())
    with pytest.raises(ValidationError):
        services.release_draft_delete(member=admin, release=draft)


def test_only_admins_build_and_a_share_link_shows_one_published_release(world, admin, moderator):
    member = world["loire"][0]
    for someone in (moderator, member, None):
        with pytest.raises(Http404):
            services.release_preview(member=someone, params=params())
        with pytest.raises(Http404):
            services.release_publish(member=someone, title="X", params=params())
        assert list(access.releases_visible_to(someone)) == []
    draft = services.release_draft_create(member=admin, title="Brouillon", params=params())
    published = services.release_publish(member=admin, title="Publié", params=params())
    assert {r.pk for r in selectors.releases_for(admin)} == {draft.pk, published.pk}

    for token in (published.share_token, draft.share_token, "", "x" * 200):
        with pytest.raises(Http404):
            access.shared_release_or_404(token)
    with pytest.raises(ValidationError):
        services.release_share(member=admin, release=draft, shared=True)
    services.release_share(member=admin, release=published, shared=True)
    assert access.shared_release_or_404(published.share_token) == published
    with pytest.raises(Http404):
        access.shared_release_or_404(draft.share_token)
    services.release_share(member=admin, release=published, shared=False)
    with pytest.raises(Http404):
        access.shared_release_or_404(published.share_token)


def test_listing_in_the_directory_shares_and_unsharing_unlists(
    world, admin, django_capture_on_commit_callbacks
):
    release = services.release_publish(member=admin, title="Publié", params=params())
    with django_capture_on_commit_callbacks() as callbacks:
        services.release_list_in_directory(member=admin, release=release, listed=True)
    release.refresh_from_db()
    assert release.listed_in_directory and release.shared
    assert len(callbacks) == 1
    services.release_share(member=admin, release=release, shared=False)
    release.refresh_from_db()
    assert not release.listed_in_directory and not release.shared
    assert list(
        AuditEntry.objects.filter(actor=admin).order_by("pk").values_list("action", flat=True)
    ) == [
        "insights.release_publish",
        "insights.release_list",
        "insights.release_unshare",
    ]

"""Authorization matrix of training (/formations/), prevention campaigns (/prevention/),
clinical trials (/essais-cliniques/) and their API (/api/pro/research/): anonymous, another
network's session, a suspended member, a patient (Bob), a caregiver (Carla), a verified
professional (Rosalie, a patient too), a moderator, an admin. Training is for professionals
(Rosalie, and admins); campaigns and trials for every member, each campaign showing only the
events and articles the reader may see; admins write. Anyone else gets 404 (or sign-in for
a page when signed out) and nothing changes; reads assert which ids come back."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.events.models import Event
from tenant_apps.knowledge.models import Article
from tenant_apps.members.models import Member
from tenant_apps.pro.models import Campaign, ClinicalTrial
from tenant_apps.pro.research import services
from tests.matrix import Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_network", "suspended", "member", "caregiver", "pro", "moderator",
         "admin")  # fmt: skip
READERS = frozenset({"member", "caregiver", "pro", "moderator", "admin"})
PROFESSIONALS = frozenset({"pro", "admin"})
ADMIN = frozenset({"admin"})
# Who enters the caregivers' space (the events' own rule: audience, or seeing every space).
SEE_CAREGIVERS = frozenset({"caregiver", "moderator", "admin"})


def _event(title: str, *, days: int, **fields) -> Event:
    starts = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(
        title=title, description="Programme.", description_html="<p>Programme.</p>",
        format="webinar", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
        online=True, status=fields.pop("status", "published"), **fields,
    )  # fmt: skip


@pytest.fixture(scope="module")
def research_world(shared_world, session_networks, django_db_blocker):
    """A coming training webinar for everyone, a training draft, a past training session,
    a (non-training) caregivers' event; the published article marked as training (the draft
    too); a published campaign holding both events and both articles, a draft campaign; two
    trials."""
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        admin = w.people["admin"]
        vera = account("Rosalie").member
        Member.objects.filter(pk=vera.pk).update(verified_professional=True)
        w.people["pro"] = Member.objects.get(pk=vera.pk)
        w.pro_user = vera.user
        w.training = _event("Annonce du diagnostic", days=5, training=True)
        _event("Atelier en préparation", days=6, training=True, status="draft")
        _event("Session passée", days=-10, training=True)
        w.research_caregivers_event = _event("Café des aidants", days=3, space=w.caregivers)
        Article.objects.filter(pk__in=[w.article.pk, w.draft.pk]).update(training=True)
        w.campaign = services.campaign_create(
            actor=admin, title="Mars bleu 2027", kind="screening",
            summary="Le dépistage du cancer colorectal.", body="## Le test\nÀ faire chez soi.",
            starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 31),
            published=True, events=[w.training, w.research_caregivers_event],
            articles=[w.article, w.draft],
        )  # fmt: skip
        w.draft_campaign = services.campaign_create(
            actor=admin, title="Moi(s) sans tabac", kind="prevention", summary="Bientôt.",
            starts_on=datetime.date(2027, 11, 1), ends_on=datetime.date(2027, 11, 30),
        )  # fmt: skip
        w.trial = services.trial_create(
            actor=admin, title="Immunothérapie après chimioradiothérapie", acronym="PACIFIC-R",
            phase="3", conditions="Cancer bronchique non à petites cellules, stade III",
            registry_number="NCT03703297", contact="Unité de recherche clinique, CHU",
            centres=[{"name": "CHU de Poitiers", "city": "Poitiers", "region": "75"}],
        )  # fmt: skip
        w.closed_trial = services.trial_create(
            actor=admin, title="Activité physique adaptée pendant la chimiothérapie",
            phase="other", status="closed", conditions="Cancer du sein",
            registry_number="2019-A01234-56", contact="ERI, Institut Bergonié",
        )  # fmt: skip
    return w


@pytest.fixture
def world(research_world, tenant):
    return research_world


@pytest.fixture
def role_accounts(research_world):
    return {**research_world.accounts, "pro": research_world.pro_user}


def _campaign_events(w, role):
    return [w.training.pk] + ([w.research_caregivers_event.pk] if role in SEE_CAREGIVERS else [])


def _training(response, w, role):
    training = response.context["training"]
    assert [e.pk for e in training.events] == [w.training.pk]
    assert [a.pk for a in training.articles] == [w.article.pk]


def _campaigns(response, w, role):
    expected = [w.draft_campaign.pk, w.campaign.pk] if role == "admin" else [w.campaign.pk]
    assert [c.pk for c in response.context["campaigns"]] == expected


def _campaign(response, w, role):
    page = response.context["page"]
    assert sorted(e.pk for e in page.events) == sorted(_campaign_events(w, role))
    assert [a.pk for a in page.articles] == [w.article.pk]


def _trials(response, w, role):
    # By title: "Activité…" before "Immunothérapie…".
    assert [t.pk for t in response.context["page"].trials] == [w.closed_trial.pk, w.trial.pk]


def _api_training(response, w, role):
    body = response.json()
    assert [e["id"] for e in body["events"]] == [w.training.pk]
    assert [a["id"] for a in body["articles"]] == [w.article.pk]


def _api_campaigns(response, w, role):
    expected = [w.draft_campaign.pk, w.campaign.pk] if role == "admin" else [w.campaign.pk]
    assert [c["id"] for c in response.json()] == expected


def _api_campaign(response, w, role):
    body = response.json()
    assert sorted(e["id"] for e in body["events"]) == sorted(_campaign_events(w, role))
    assert [a["id"] for a in body["articles"]] == [w.article.pk]


def _api_trials(response, w, role):
    assert [t["id"] for t in response.json()["trials"]] == [w.closed_trial.pk, w.trial.pk]


def _trial_created(response, w, role):
    return ClinicalTrial.objects.filter(registry_number="2024-512345-12-00").exists()


def _campaign_created(response, w, role):
    return Campaign.objects.filter(title="Octobre rose 2027").exists()


def _campaign_changed(response, w, role):
    campaign = Campaign.objects.get(pk=w.campaign.pk)
    return campaign.summary == "Changé." and list(campaign.events.all()) == []


def _trial_changed(response, w, role):
    trial = ClinicalTrial.objects.get(pk=w.trial.pk)
    return trial.status == "suspended" and trial.centres.get().region == "76"


def _campaign_data(w):
    return {"title": "Octobre rose 2027", "kind": "screening", "summary": "Mammographie.",
            "starts_on": "2027-10-01", "ends_on": "2027-10-31", "published": "on",
            "articles": [w.article.pk]}  # fmt: skip


def _trial_data(w):
    return {"title": "Radiothérapie hypofractionnée", "phase": "2", "status": "recruiting",
            "conditions": "Cancer de la prostate", "registry_number": "2024-512345-12-00",
            "contact": "URC du CHU", "centres": "CHU de Poitiers ; Poitiers ; 86"}  # fmt: skip


ROUTES = {
    "training:list": Route(
        "get", lambda w: "/formations/", PROFESSIONALS, roles=ROLES, check=_training
    ),  # fmt: skip
    "campaigns:list": Route(
        "get", lambda w: "/prevention/", READERS, roles=ROLES, check=_campaigns
    ),  # fmt: skip
    "campaigns:campaign": Route(
        "get",
        lambda w: f"/prevention/{w.campaign.slug}/",
        READERS,
        roles=ROLES,
        check=_campaign,
    ),  # fmt: skip
    "campaigns:create": Route("get", lambda w: "/prevention/nouvelle/", ADMIN, roles=ROLES),
    "campaigns:edit": Route(
        "get", lambda w: f"/prevention/{w.campaign.slug}/modifier/", ADMIN, roles=ROLES
    ),
    "trials:list": Route(
        "get", lambda w: "/essais-cliniques/", READERS, roles=ROLES, check=_trials
    ),  # fmt: skip
    "trials:trial": Route(
        "get",
        lambda w: f"/essais-cliniques/{w.trial.pk}/",
        READERS,
        roles=ROLES,
        check=lambda r, w, role: r.context["trial"] == w.trial,
    ),  # fmt: skip
    "trials:create": Route("get", lambda w: "/essais-cliniques/nouveau/", ADMIN, roles=ROLES),
    "trials:edit": Route(
        "get", lambda w: f"/essais-cliniques/{w.trial.pk}/modifier/", ADMIN, roles=ROLES
    ),
    "api_pro_training": api(
        "get",
        lambda w: "/api/pro/research/training/",
        PROFESSIONALS,
        roles=ROLES,
        check=_api_training,
    ),  # fmt: skip
    "api_pro_campaigns": api(
        "get", lambda w: "/api/pro/research/campaigns/", READERS, roles=ROLES, check=_api_campaigns
    ),  # fmt: skip
    "api_pro_campaign": api(
        "get",
        lambda w: f"/api/pro/research/campaigns/{w.campaign.slug}/",
        READERS,
        roles=ROLES,
        check=_api_campaign,
    ),  # fmt: skip
    "api_pro_trials": api(
        "get", lambda w: "/api/pro/research/trials/", READERS, roles=ROLES, check=_api_trials
    ),  # fmt: skip
    "api_pro_trial": api(
        "get",
        lambda w: f"/api/pro/research/trials/{w.trial.pk}/",
        READERS,
        roles=ROLES,
        check=lambda r, w, role: r.json()["registry_number"] == "NCT03703297",
    ),  # fmt: skip
}

OTHER_METHODS = {
    "campaigns:create": Route(
        "post",
        lambda w: "/prevention/nouvelle/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=_campaign_data,
        check=_campaign_created,
    ),  # fmt: skip
    "campaigns:edit": Route(
        "post",
        lambda w: f"/prevention/{w.campaign.slug}/modifier/",
        ADMIN,
        status=302,
        roles=ROLES,
        check=_campaign_changed,
        data=lambda w: {**_campaign_data(w), "title": "Mars bleu 2027", "summary": "Changé."},
    ),  # fmt: skip
    "trials:create": Route(
        "post",
        lambda w: "/essais-cliniques/nouveau/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=_trial_data,
        check=_trial_created,
    ),  # fmt: skip
    "trials:edit": Route(
        "post",
        lambda w: f"/essais-cliniques/{w.trial.pk}/modifier/",
        ADMIN,
        status=302,
        roles=ROLES,
        check=_trial_changed,
        data=lambda w: {
            **_trial_data(w),
            "registry_number": "NCT03703297",
            "status": "suspended",
            "centres": "Hôpital Larrey ; Toulouse ; 31",
        },
    ),  # fmt: skip
    "api_pro_trials": api(
        "post",
        lambda w: "/api/pro/research/trials/",
        ADMIN,
        status=201,
        roles=ROLES,
        data=_trial_data,
        check=_trial_created,
    ),  # fmt: skip
    "api_pro_campaigns": api(
        "post",
        lambda w: "/api/pro/research/campaigns/",
        ADMIN,
        status=201,
        roles=ROLES,
        data=lambda w: {**_campaign_data(w), "published": True},
        check=_campaign_created,
    ),  # fmt: skip
    "api_pro_campaign": api(
        "patch",
        lambda w: f"/api/pro/research/campaigns/{w.campaign.slug}/",
        ADMIN,
        roles=ROLES,
        data=lambda w: {"summary": "Changé.", "events": []},
        check=_campaign_changed,
    ),  # fmt: skip
}

# A third method on the same address.
DELETES = {
    "api_pro_campaign": api(
        "delete",
        lambda w: f"/api/pro/research/campaigns/{w.campaign.slug}/",
        ADMIN,
        status=204,
        roles=ROLES,
        check=lambda r, w, role: (
            not Campaign.objects.filter(pk=w.campaign.pk).exists()
            and Event.objects.filter(pk=w.training.pk).exists()
        ),
    ),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_research_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(OTHER_METHODS))
def test_research_other_methods_matrix(client_as, world, route, role):
    check(OTHER_METHODS, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(DELETES))
def test_research_deletes_matrix(client_as, world, route, role):
    check(DELETES, route, role, client_as, world)

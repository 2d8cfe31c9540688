"""The demo networks' social layer (``demo_activity``, once every app's content exists).

For each demo network: the members who state a pathology opt in to "people like me"; a few
more patients join when fewer than ``matching.MINIMUM`` would be suggested to the demo
patient (the ``membre`` account), so that the list shows; follows between members (the demo
patient follows some and is followed back); a block (the demo patient blocked the network's
seller, when there is one); a few experiences through the experiences' own services, for
the whole network and for followers only. Seeding again changes nothing.
"""

from django.contrib.auth import get_user_model

from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member
from tenant_apps.social import matching, relations
from tenant_apps.social import services as experiences
from tenant_apps.social.models import Experience

PATIENT = "membre"
# Who the demo patient blocked: the seller who joins a network to advertise (poumon).
SELLER = "vente"
# Members who join when a network has too few for the demo patient's suggestions, of the
# demo patient's profile type:
# (pseudonym, département).
NEWCOMERS = (
    ("Martine_38", "38"),
    ("Yannick.56", "56"),
    ("Sandrine-V", "84"),
    ("Didier_31", "31"),
    ("Louise.P", "75"),
)
# (author key, text, audience): the first authors who share the demo patient's pathology
# take them in order.
EXPERIENCES = (
    (
        "Trois mois après le début du traitement, je remarche vingt minutes chaque matin. "
        "Ce n'est pas grand-chose, mais c'est à moi.",
        Experience.Audience.NETWORK,
    ),
    (
        "Le plus dur, ce sont les nuits avant les examens. Ce qui m'aide : écrire ce qui "
        "m'inquiète sur un carnet, et le montrer au médecin le lendemain.",
        Experience.Audience.NETWORK,
    ),
    (
        "J'ai repris le travail à mi-temps. Mes collègues ont été formidables, mais je "
        "n'avais pas prévu la fatigue de l'après-midi.",
        Experience.Audience.FOLLOWERS,
    ),
    (
        "Premier Noël sans perruque. Les cheveux repoussent tout bouclés, mes petits-enfants "
        "trouvent ça très drôle.",
        Experience.Audience.NETWORK,
    ),
)
# Who publishes and approves, should screening hold a new member's experience.
MODERATOR = "relecture"


def demo_activity(*, accounts: dict[str, Member], content: dict) -> None:
    patient = accounts.get(PATIENT)
    if patient is None:
        return
    people = [accounts[p["key"]] for p in content.get("members", ()) if p["key"] in accounts]
    stating = [m for m in people if m.pathologies.exists()]
    for member in stating:
        chosen = matching.settings_of(member)
        if chosen.pk is None or not chosen.matching:
            matching.matching_settings_update(
                member=member, matching=True, matching_same_region=False
            )
    peers = _peers(patient)
    if len(peers) < matching.MINIMUM:
        peers += _newcomers(patient, matching.MINIMUM - len(peers))
    _follows(patient, peers)
    seller = accounts.get(SELLER)
    if seller is not None and seller.pk != patient.pk:
        relations.block_create(blocker=patient, blocked=seller)
    _experiences(peers, accounts.get(MODERATOR))


def _peers(patient: Member) -> list[Member]:
    """The opted-in members who share a pathology with the demo patient, oldest first."""
    mine = list(patient.pathologies.values_list("pk", flat=True))
    return list(
        relations.reachable_members()
        .filter(social_settings__matching=True, pathologies__in=mine)
        .exclude(pk=patient.pk)
        .distinct()
        .order_by("pk")
    )


def _newcomers(patient: Member, wanted: int) -> list[Member]:
    pathologies = list(patient.pathologies.all()[:1])
    User = get_user_model()
    joined = []
    for pseudonym, department in NEWCOMERS[:wanted]:
        user = User.objects.filter(username=pseudonym).first()
        if user is None:
            user = members.member_create(
                username=pseudonym,
                email=f"{pseudonym.lower().replace('.', '-')}@social.demo.invalid",
                password=None,
                # The network's kind of member (the caregivers' network has no patients).
                profile_type=patient.profile_type,
            )
        member = user.member
        if not member.consents.exists():
            for kind in (Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA):
                members.consent_give(member=member, kind=kind)
            members.profile_update(member=member, pathologies=pathologies, department=department)
        matching.matching_settings_update(member=member, matching=True, matching_same_region=False)
        joined.append(member)
    return joined


def _follows(patient: Member, peers: list[Member]) -> None:
    """The demo patient follows the first three peers; two of them and two others follow
    back; the peers follow one another in a ring."""
    for peer in peers[:3]:
        relations.follow_create(follower=patient, followed=peer)
    for peer in peers[1:5]:
        relations.follow_create(follower=peer, followed=patient)
    for peer, following in zip(peers, peers[1:] + peers[:1], strict=True):
        if peer.pk != following.pk:
            relations.follow_create(follower=peer, followed=following)


def _experiences(peers: list[Member], moderator: Member | None) -> None:
    for author, (body, audience) in zip(peers, EXPERIENCES, strict=False):
        if Experience.objects.filter(author=author, body=body).exists():
            continue
        experience = experiences.experience_create(author=author, body=body, audience=audience)
        if experience.status == Experience.Status.HELD and moderator is not None:
            experiences.experience_publish(experience=experience, moderator=moderator)

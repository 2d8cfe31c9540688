"""Demo content of the research area: training sessions and training articles for
professionals, three prevention and screening campaigns, and a list of clinical trials.

The trials are invented (titles, acronyms, registry numbers and contacts): a demo must not
send anyone to a real trial's team. Running it again adds nothing.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tenant_apps.events import services as events
from tenant_apps.events.models import Event, Question
from tenant_apps.knowledge import services as knowledge
from tenant_apps.knowledge.models import Article
from tenant_apps.members.models import Member, Role
from tenant_apps.members.permissions import has_permission
from tenant_apps.pro.models import ClinicalTrial
from tenant_apps.pro.research import services

HAS = ("Haute Autorité de santé (HAS)", "https://www.has-sante.fr/")
INCA = ("Institut national du cancer (INCa)", "https://www.e-cancer.fr/")
TRAINING_EVENTS = (
    ("Annoncer un cancer : le dispositif d'annonce en pratique", 12, (18, 30), 90,
     "Formation pour les médecins et les infirmières : les temps de l'annonce, la "
     "consultation infirmière, ce que l'on dit du parcours et des soins de support.",
     (("Dr Hélène Lemaire", "pneumologue, CHU de Poitiers"),
      ("Sophie Garnier", "infirmière de coordination")),
     "Comment organiser la consultation infirmière quand le diagnostic est annoncé en "
     "hospitalisation ?"),
    ("Immunothérapie : reconnaître et prendre en charge les effets indésirables", 26, (13, 0),
     60,
     "Colites, pneumopathies, atteintes endocriniennes : les signes d'alerte, les grades, "
     "quand suspendre et qui appeler. Pour les médecins généralistes et les pharmaciens.",
     (("Dr Paul Martin", "oncologue médical, CHU de Poitiers"),),
     "Faut-il arrêter l'immunothérapie devant une diarrhée de grade 2 ?"),
    ("Activité physique adaptée : prescrire pendant et après un cancer", 40, (18, 0), 60,
     "La prescription d'activité physique adaptée, les structures du territoire et le "
     "financement. Pour les médecins traitants.",
     (("Julien Moreau", "enseignant en activité physique adaptée"),),
     "Quelles structures de la Vienne accueillent les patients après la chimiothérapie ?"),
)  # fmt: skip
TRAINING_ARTICLES = (
    ("Le dispositif d'annonce : repères pour les soignants",
     "Les quatre temps du dispositif d'annonce et le rôle de chacun.",
     "## Les quatre temps\n\n1. Le temps médical : l'annonce du diagnostic et la proposition "
     "de traitement décidée en RCP.\n2. Le temps d'accompagnement soignant : la consultation "
     "infirmière reprend ce qui a été dit.\n3. L'accès aux soins de support.\n4. Le lien avec "
     "le médecin traitant.\n", INCA),
    ("Toxicités des immunothérapies : la fiche de liaison ville-hôpital",
     "Ce que le médecin traitant surveille et quand il appelle l'équipe d'oncologie.",
     "## Surveiller\n\nDiarrhée, toux, essoufflement, fatigue inhabituelle : tout symptôme "
     "nouveau sous immunothérapie est une toxicité possible jusqu'à preuve du contraire.\n\n"
     "## Appeler\n\nL'équipe d'oncologie est joignable par la ligne directe indiquée sur la "
     "fiche remise au patient.\n", HAS),
)  # fmt: skip
CAMPAIGNS = (
    ("Mars bleu : le dépistage du cancer colorectal", "screening", (3, 1), (3, 31),
     "De 50 à 74 ans, un test à faire chez soi tous les deux ans.",
     "## Le test\n\nLe test immunologique se fait chez soi ; il est remis par le médecin "
     "traitant, le pharmacien, ou commandé en ligne.\n\n## Et après ?\n\nUn test positif "
     "conduit à une coloscopie.\n", ("dépistage",)),
    ("Octobre rose : le dépistage du cancer du sein", "screening", (10, 1), (10, 31),
     "De 50 à 74 ans, une mammographie tous les deux ans, prise en charge à 100 %.",
     "## Qui est invitée ?\n\nLes femmes de 50 à 74 ans reçoivent un courrier tous les deux "
     "ans.\n", ("dépistage",)),
    ("Mois sans tabac", "prevention", (11, 1), (11, 30),
     "Un mois pour arrêter de fumer, accompagné : tabacologues, substituts remboursés.",
     "## Se faire aider\n\nLes substituts nicotiniques sont remboursés sur prescription, y "
     "compris par un infirmier ou un kinésithérapeute.\n", ("tabac", "immunothérapie")),
)  # fmt: skip
# (title, acronym, phase, status, conditions, registry number, centres).
TRIALS = (
    ("Immunothérapie de consolidation chez le sujet âgé après chimioradiothérapie",
     "CONSOL-AGE", "3", "recruiting", "Cancer bronchique non à petites cellules, stade III",
     "NCT09100001", (("CHU de Poitiers", "Poitiers", "86"),
                     ("CHU de Bordeaux — hôpital Haut-Lévêque", "Pessac", "33"))),
    ("Dépistage du cancer du poumon par scanner faible dose en soins primaires", "DEPIST-NA",
     "other", "recruiting", "Fumeurs et anciens fumeurs de 50 à 74 ans",
     "2025-A00123-45", (("CHU de Poitiers", "Poitiers", "86"),
                        ("Centre hospitalier de Niort", "Niort", "79"),
                        ("CHU de Limoges", "Limoges", "87"))),
    ("Thérapie ciblée de deuxième ligne dans les cancers bronchiques avec mutation KRAS",
     "KRAS-2L", "2", "recruiting", "Cancer bronchique non à petites cellules, KRAS G12C",
     "2024-512345-12-00", (("CHU de Poitiers", "Poitiers", "86"),
                           ("Institut Bergonié", "Bordeaux", "33"))),
    ("Activité physique adaptée à domicile pendant la chimiothérapie adjuvante", "MOUV-DOM",
     "other", "not_yet", "Cancer du sein, cancer colorectal", "2025-A04567-12",
     (("Centre hospitalier de La Rochelle", "La Rochelle", "17"),
      ("Centre hospitalier d'Angoulême", "Saint-Michel", "16"))),
    ("Radiothérapie stéréotaxique des oligométastases", "STEREO-OLIGO", "2", "suspended",
     "Cancers en situation oligométastatique", "NCT09100002",
     (("CHU de Poitiers", "Poitiers", "86"),)),
    ("Hypofractionnement après chirurgie conservatrice du sein", "HYPO-SEIN", "3", "closed",
     "Cancer du sein localisé", "2023-501234-22", (("CHU de Poitiers", "Poitiers", "86"),
                                                    ("CHU de Nantes", "Nantes", "44"))),
    ("Téléconsultation infirmière pendant les thérapies orales", "TELE-ORAL", "other",
     "recruiting", "Cancers traités par thérapie orale", "NCT09100003",
     (("Centre hospitalier de Châtellerault", "Châtellerault", "86"),
      ("Centre hospitalier de Saintes", "Saintes", "17"))),
    ("Première administration chez l'homme d'un anticorps bispécifique", "BISPE-01", "1",
     "recruiting", "Tumeurs solides avancées", "2025-520001-33-00",
     (("Institut Bergonié", "Bordeaux", "33"), ("CHU de Toulouse", "Toulouse", "31"))),
)  # fmt: skip


def _staff() -> Member | None:
    """An admin who writes events and publishes articles (the demo's medical reviewer)."""
    admins = Member.objects.filter(role=Role.ADMIN, status=Member.Status.ACTIVE).exclude(user=None)
    for admin in admins.select_related("user").order_by("pk"):
        if has_permission(admin, "events.event:write") and has_permission(
            admin, "members.network:configure"
        ):
            return admin
    return None


def _at(days: int, hour: int, minute: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _audience(event: Event, staff: Member, text: str) -> None:
    """The professionals who registered, a question asked before the session and its
    votes, through the events' services as members would make them."""
    pros = list(
        Member.objects.filter(verified_professional=True, status=Member.Status.ACTIVE)
        .exclude(user=None)
        .order_by("pk")[:6]
    )
    for member in pros:
        events.registration_create(member=member, event=event)
    if len(pros) < 3:
        return
    question = events.question_ask(
        member=pros[0], event=event, text=text, anonymous=False, confirmed_identifying=True
    )
    if question.status != Question.Status.VISIBLE:
        events.question_moderate(moderator=staff, question_id=question.pk, action="approve")
    for member in pros[1:3]:
        events.vote_toggle(member=member, question_id=question.pk)


def _training(staff: Member) -> list[Event]:
    found = []
    for title, days, (hour, minute), minutes, description, speakers, question in TRAINING_EVENTS:
        starts_at = _at(days, hour, minute)
        event = events.event_create(
            author=staff, title=title, description=description, format=Event.Format.WEBINAR,
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=minutes),
            online=True, join_url="https://visio.reseau-onco.demo.invalid/formation",
            speakers=[events.SpeakerData(name=n, role=r) for n, r in speakers],
            status=Event.Status.PUBLISHED, training=True,
        )  # fmt: skip
        _audience(event, staff, question)
        found.append(event)
    for title, summary, body, (publisher, url) in TRAINING_ARTICLES:
        article = knowledge.article_create(
            author=staff, title=title, summary=summary, body=body,
            sources=[knowledge.SourceData(title=title, publisher=publisher, url=url,
                                          published_on=datetime.date(2024, 6, 1))],
            training=True,
        )  # fmt: skip
        knowledge.article_submit(article=article, by=staff)
        knowledge.article_publish(article=article, reviewer=staff)
    return found


def seed(*, rng: random.Random) -> None:
    """Training, campaigns and trials of the demo network; running it again adds nothing.
    Needs an admin with a second factor (the medical reviewer)."""
    staff = _staff()
    if staff is None or ClinicalTrial.objects.exists():
        return
    with transaction.atomic():
        training = _training(staff)
        year = timezone.localdate().year
        published = Article.objects.filter(status=Article.Status.PUBLISHED)
        for title, kind, start, end, summary, body, words in CAMPAIGNS:
            linked = [a for a in published if any(w in a.title.lower() for w in words)][:3]
            services.campaign_create(
                actor=staff, title=title, kind=kind, summary=summary, body=body,
                starts_on=datetime.date(year, *start), ends_on=datetime.date(year, *end),
                published=True, articles=linked,
                events=[rng.choice(training)] if kind == "prevention" else [],
            )  # fmt: skip
        for title, acronym, phase, status, conditions, number, centres in TRIALS:
            services.trial_create(
                actor=staff, title=title, acronym=acronym, phase=phase, status=status,
                conditions=conditions, registry_number=number,
                contact="Unité de recherche clinique — coordination régionale, "
                "recherche@reseau-onco.demo.invalid",
                summary=f"Essai fictif de la démonstration ({acronym}).",
                centres=[services.centres_parse(f"{n} ; {c} ; {d}")[0] for n, c, d in centres],
            )  # fmt: skip

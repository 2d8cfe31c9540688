"""Demo content: two working groups (thoracic oncology, supportive care) and their regional
guidelines in several versions, in French. Called by the demo network's seeding."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tenant_apps.members.models import Member
from tenant_apps.pro.guidelines.services import _search_document, _write_sections
from tenant_apps.pro.models import Guideline, GuidelineVersion, WorkingGroup, WorkingGroupMember

GROUPS = [
    ("Oncologie thoracique", "oncologie-thoracique", "Thorax",
     "Pneumologues, oncologues, chirurgiens thoraciques et radiothérapeutes de la région : "
     "référentiels de prise en charge des cancers bronchiques et du mésothéliome."),
    ("Soins oncologiques de support", "soins-de-support", "Soins de support",
     "Douleur, nutrition, activité physique adaptée, accompagnement psychologique et social "
     "des personnes traitées pour un cancer."),
]  # fmt: skip

_CBNPC_V1 = [
    ("Bilan initial", "- Scanner thoraco-abdominal injecté et TEP-TDM au 18F-FDG.\n"
     "- IRM cérébrale pour les stades II et III.\n"
     "- Preuve histologique et recherche des altérations moléculaires (EGFR, ALK, ROS1, PD-L1)."),
    ("Stades I et II opérables", "La chirurgie (lobectomie avec curage ganglionnaire) est le "
     "traitement de référence. Une radiothérapie stéréotaxique est proposée aux patients non "
     "opérables, après avis de la RCP."),
    ("Traitements adjuvants", "Chimiothérapie adjuvante à base de sels de platine pour les "
     "stades II et IIIA réséqués, à discuter en RCP selon l'état général."),
]  # fmt: skip
_CBNPC_V2 = [
    _CBNPC_V1[0],
    ("Stades I et II opérables", "La chirurgie (lobectomie ou segmentectomie anatomique pour "
     "les tumeurs périphériques de moins de 2 cm, avec curage ganglionnaire) est le traitement "
     "de référence. Une radiothérapie stéréotaxique est proposée aux patients non opérables, "
     "après avis de la RCP."),
    ("Traitements adjuvants", "Chimiothérapie adjuvante à base de sels de platine pour les "
     "stades II et IIIA réséqués. Pour les tumeurs avec mutation EGFR commune, l'osimertinib "
     "adjuvant est proposé pendant 3 ans."),
    ("Traitements néoadjuvants", "Une chimio-immunothérapie néoadjuvante peut être discutée en "
     "RCP pour les stades II et IIIA résécables sans altération EGFR ni ALK."),
]  # fmt: skip
_CBNPC_V3 = [
    *_CBNPC_V2[:3],
    ("Traitements périopératoires", "Une chimio-immunothérapie néoadjuvante, suivie ou non "
     "d'une immunothérapie adjuvante, est discutée en RCP pour les stades II et IIIA "
     "résécables sans altération EGFR ni ALK."),
    ("Suivi", "Scanner thoracique tous les 6 mois pendant 2 ans, puis annuel. Sevrage "
     "tabagique proposé à chaque consultation."),
]  # fmt: skip
_DOULEUR_V1 = [
    ("Évaluation", "Évaluer la douleur à chaque consultation avec une échelle numérique "
     "(0 à 10) ; rechercher une composante neuropathique (questionnaire DN4)."),
    ("Traitement", "- Paliers de l'OMS adaptés à l'intensité.\n- Morphine orale en première "
     "intention pour les douleurs intenses.\n- Prévenir la constipation dès la première prise."),
]  # fmt: skip
_DOULEUR_V2 = [
    _DOULEUR_V1[0],
    ("Traitement", "- Paliers de l'OMS adaptés à l'intensité.\n- Morphine orale en première "
     "intention pour les douleurs intenses ; oxycodone en cas d'insuffisance rénale modérée.\n"
     "- Prévenir la constipation dès la première prise."),
    ("Orientation", "Adresser à l'équipe douleur ou de soins palliatifs si la douleur reste "
     "supérieure à 4 après 48 heures d'ajustement."),
]  # fmt: skip
_NUTRITION_V1 = [
    ("Dépistage", "Peser le patient à chaque cure ; une perte de plus de 5 % en un mois "
     "signe une dénutrition."),
    ("Prise en charge", "Conseils diététiques et compléments nutritionnels oraux ; "
     "nutrition entérale si les apports restent inférieurs à la moitié des besoins."),
]  # fmt: skip

GUIDELINES = [
    # group slug, title, slug, organ, visibility, [(sections, summary)], validated versions
    ("oncologie-thoracique", "Cancers bronchiques non à petites cellules localisés",
     "cbnpc-localises", "Thorax", Guideline.Visibility.PROFESSIONALS,
     [(_CBNPC_V1, "Première version."),
      (_CBNPC_V2, "Segmentectomie pour les petites tumeurs, osimertinib adjuvant, néoadjuvant."),
      (_CBNPC_V3, "Traitements périopératoires ; suivi ajouté.")], 3),
    ("soins-de-support", "Douleur du patient atteint de cancer", "douleur-cancer",
     "Soins de support", Guideline.Visibility.EVERYONE,
     [(_DOULEUR_V1, "Première version."),
      (_DOULEUR_V2, "Oxycodone en insuffisance rénale ; orientation vers l'équipe douleur.")], 2),
    ("soins-de-support", "Nutrition pendant les traitements", "nutrition-traitements",
     "Soins de support", Guideline.Visibility.GROUP, [(_NUTRITION_V1, "Première version.")], 0),
]  # fmt: skip


@transaction.atomic
def seed(*, rng: random.Random) -> None:
    """The demo's working groups and guidelines; running it again adds nothing."""
    if WorkingGroup.objects.filter(slug=GROUPS[0][1]).exists():
        return
    pros = list(
        Member.objects.filter(verified_professional=True, status=Member.Status.ACTIVE)
        .exclude(user=None)
        .order_by("pk")[:8]
    )
    groups = {}
    for name, slug, organ, description in GROUPS:
        group = WorkingGroup.objects.create(
            name=name, slug=slug, organ=organ, description=description
        )
        groups[slug] = group
        chosen = rng.sample(pros, k=min(4, len(pros)))
        for index, member in enumerate(chosen):
            WorkingGroupMember.objects.create(
                group=group, member=member,
                role=WorkingGroupMember.Role.COORDINATOR if index == 0 else "member",
            )  # fmt: skip
    now = timezone.now()
    for group_slug, title, slug, organ, visibility, history, validated in GUIDELINES:
        group = groups[group_slug]
        writers = [m.member for m in group.memberships.select_related("member")]
        coordinator = next(
            (m.member for m in group.memberships.all() if m.role == "coordinator"), None
        )
        guideline = Guideline.objects.create(
            group=group, title=title, slug=slug, organ=organ, visibility=visibility
        )
        count = len(history)
        for number, (sections, summary) in enumerate(history, start=1):
            written = now - timedelta(days=400 * (count - number) + 30)
            version = GuidelineVersion.objects.create(
                guideline=guideline, number=number, change_summary=summary
            )
            GuidelineVersion.objects.filter(pk=version.pk).update(created=written)
            if writers:
                version.authors.add(*rng.sample(writers, k=min(2, len(writers))))
            _write_sections(version, [{"title": t, "body": b} for t, b in sections])
            if number <= validated:
                version.validated_by = coordinator
                version.validated_at = written + timedelta(days=14)
                version.save(update_fields=["validated_by", "validated_at"])
                guideline.current_version = version
        if guideline.current_version is not None:
            guideline.status = Guideline.Status.VALID
            validated_on = guideline.current_version.validated_at.date()
            guideline.valid_until = validated_on + timedelta(days=3 * 365)
            guideline.search_document = _search_document(guideline, guideline.current_version)
            guideline.save()

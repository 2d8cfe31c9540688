"""Demo content of the care area: a care offer of 200 providers across Nouvelle-Aquitaine
(establishments and their services, coordination centres, supportive care, patient
information spaces, practices, home care), two care pathway pages and three local groups.

Names are those of real kinds of places (CHU, centres hospitaliers, cliniques, ERI, comités
de la Ligue); addresses, phones and descriptions are made up. Running it again adds nothing.
"""

import random

from django.db import transaction

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Group
from tenant_apps.members.models import Member, Role
from tenant_apps.members.selectors import spaces_for
from tenant_apps.pro.care import services
from tenant_apps.pro.models import CareProvider

TOTAL = 200
# (name, city, postcode, département) of the establishments.
ESTABLISHMENTS = [
    ("CHU de Poitiers", "Poitiers", "86000", "86"),
    ("Centre hospitalier de Châtellerault", "Châtellerault", "86100", "86"),
    ("Centre hospitalier de Loudun", "Loudun", "86200", "86"),
    ("Centre hospitalier de Montmorillon", "Montmorillon", "86500", "86"),
    ("Polyclinique de Poitiers", "Poitiers", "86000", "86"),
    ("Clinique du Fief de Grimoire", "Poitiers", "86000", "86"),
    ("Centre hospitalier de Niort", "Niort", "79000", "79"),
    ("Centre hospitalier Nord Deux-Sèvres", "Faye-l'Abbesse", "79350", "79"),
    ("Polyclinique Inkermann", "Niort", "79000", "79"),
    ("Centre hospitalier d'Angoulême", "Saint-Michel", "16470", "16"),
    ("Centre hospitalier de Cognac", "Cognac", "16100", "16"),
    ("Clinique Saint-Joseph", "Angoulême", "16000", "16"),
    ("Centre hospitalier de La Rochelle", "La Rochelle", "17000", "17"),
    ("Centre hospitalier de Saintes", "Saintes", "17100", "17"),
    ("Centre hospitalier de Rochefort", "Rochefort", "17300", "17"),
    ("Clinique de l'Atlantique", "Puilboreau", "17138", "17"),
    ("Clinique Richelieu", "Saintes", "17100", "17"),
    ("CHU de Bordeaux — hôpital Haut-Lévêque", "Pessac", "33600", "33"),
    ("Institut Bergonié", "Bordeaux", "33000", "33"),
    ("CHU de Limoges", "Limoges", "87000", "87"),
    ("Centre hospitalier de Périgueux", "Périgueux", "24000", "24"),
    ("Centre hospitalier de Pau", "Pau", "64000", "64"),
]
SERVICES = [
    ("Oncologie médicale", "oncologie, chimiothérapie, immunothérapie"),
    ("Pneumologie", "cancer du poumon, oncologie thoracique, endoscopie bronchique"),
    ("Chirurgie thoracique", "cancer du poumon, chirurgie thoracique"),
    ("Radiothérapie", "radiothérapie, radiothérapie stéréotaxique"),
    ("Soins palliatifs", "soins palliatifs, douleur"),
    ("Imagerie médicale", "scanner, TEP-scanner, IRM"),
    ("Hôpital de jour d'oncologie", "chimiothérapie, soins de support"),
    ("Consultation douleur", "douleur, soins de support"),
]
# The other kinds: (kind, name pattern, specialties).
OTHERS = [
    (CareProvider.Kind.PATHWAY_CENTRE, "Centre de coordination en cancérologie (3C) {place}",
     "coordination, dispositif d'annonce, RCP"),
    (CareProvider.Kind.SUPPORTIVE_CARE, "Ligue contre le cancer — comité {dept_name}",
     "soins de support, soutien psychologique, socio-esthétique"),
    (CareProvider.Kind.SUPPORTIVE_CARE, "Activité physique adaptée — {place}",
     "activité physique adaptée, soins de support"),
    (CareProvider.Kind.SUPPORTIVE_CARE, "Maison des patients de {place}",
     "soins de support, diététique, sophrologie"),
    (CareProvider.Kind.INFORMATION_SPACE, "Espace de rencontres et d'information (ERI) {place}",
     "information des patients et des proches"),
    (CareProvider.Kind.PRACTICE, "Cabinet de pneumologie de {place}",
     "pneumologie, sevrage tabagique"),
    (CareProvider.Kind.PRACTICE, "Maison de santé pluriprofessionnelle de {place}",
     "médecine générale, infirmier, kinésithérapie"),
    (CareProvider.Kind.PRACTICE, "Cabinet de psycho-oncologie — {place}",
     "soutien psychologique, psycho-oncologie"),
    (CareProvider.Kind.HOME_CARE, "HAD {place}", "hospitalisation à domicile, chimiothérapie"),
    (CareProvider.Kind.HOME_CARE, "Réseau de soins palliatifs à domicile — {place}",
     "soins palliatifs, douleur"),
]  # fmt: skip
PLACES = {
    "86": [("Poitiers", "86000"), ("Châtellerault", "86100"), ("Loudun", "86200"),
           ("Montmorillon", "86500"), ("Civray", "86400"), ("Chauvigny", "86300")],
    "79": [("Niort", "79000"), ("Bressuire", "79300"), ("Parthenay", "79200"),
           ("Thouars", "79100"), ("Melle", "79500")],
    "16": [("Angoulême", "16000"), ("Cognac", "16100"), ("Confolens", "16500"),
           ("Ruffec", "16700"), ("Barbezieux-Saint-Hilaire", "16300")],
    "17": [("La Rochelle", "17000"), ("Saintes", "17100"), ("Rochefort", "17300"),
           ("Royan", "17200"), ("Jonzac", "17500"), ("Saint-Jean-d'Angély", "17400")],
    "33": [("Bordeaux", "33000"), ("Libourne", "33500"), ("Arcachon", "33120")],
    "87": [("Limoges", "87000"), ("Saint-Junien", "87200")],
    "24": [("Périgueux", "24000"), ("Bergerac", "24100")],
    "64": [("Pau", "64000"), ("Bayonne", "64100")],
}  # fmt: skip
DEPT_NAMES = {"86": "de la Vienne", "79": "des Deux-Sèvres", "16": "de la Charente",
              "17": "de la Charente-Maritime", "33": "de la Gironde",
              "87": "de la Haute-Vienne", "24": "de la Dordogne",
              "64": "des Pyrénées-Atlantiques"}  # fmt: skip
STREETS = ["rue de la Milétrie", "avenue de Paris", "rue du Docteur-Roux", "boulevard Jean-Moulin",
           "rue Carnot", "avenue de la Libération", "rue des Écoles", "place du Marché",
           "rue Gambetta", "allée des Tilleuls"]  # fmt: skip

LUNG_VIENNE = """## 1. Le premier rendez-vous
Votre médecin traitant ou votre pneumologue vous adresse au **service de pneumologie du CHU
de Poitiers** ou du centre hospitalier de Châtellerault. Un scanner thoracique et, souvent,
une fibroscopie bronchique confirment le diagnostic.

## 2. La réunion de concertation pluridisciplinaire
Votre dossier est présenté à la **RCP thoracique** (le mardi midi) : pneumologue, oncologue,
chirurgien, radiothérapeute et radiologue proposent ensemble un traitement.

## 3. La consultation d'annonce
Le médecin vous explique la proposition ; une infirmière de coordination vous revoit ensuite,
au calme, pour répondre à vos questions. Le 3C de la Vienne suit votre parcours.

## 4. Les traitements
- chirurgie au CHU de Poitiers ;
- chimiothérapie ou immunothérapie en hôpital de jour, parfois à domicile avec l'HAD ;
- radiothérapie au CHU ou dans un centre proche de chez vous.

## 5. Les soins de support, dès le début
Diététique, activité physique adaptée, soutien psychologique, aide sociale : demandez-les à
l'équipe, ou rendez-vous à l'Espace de rencontres et d'information.

## 6. L'après-traitement
La surveillance alterne consultations et scanners ; votre médecin traitant reste votre
interlocuteur au quotidien.
"""

BREAST_CM = """## 1. Le dépistage et le diagnostic
Une mammographie de dépistage ou une anomalie conduit à une biopsie, dans un centre d'imagerie
ou à l'hôpital de La Rochelle, de Saintes ou de Rochefort.

## 2. La décision en RCP
Votre dossier est discuté en RCP de sénologie ; le **3C de la Charente-Maritime** coordonne le
parcours et le dispositif d'annonce.

## 3. Les traitements
Chirurgie, puis selon les cas radiothérapie, chimiothérapie ou hormonothérapie.

## 4. Les soins de support
Le comité de la Ligue contre le cancer de la Charente-Maritime, l'activité physique adaptée
et les maisons des patients proposent ateliers, soutien psychologique et socio-esthétique,
pendant et après les traitements.
"""


def _admin() -> Member | None:
    return (
        Member.objects.filter(role=Role.ADMIN, status=Member.Status.ACTIVE)
        .exclude(user=None)
        .order_by("pk")
        .first()
    )


def _phone(rng: random.Random, department: str) -> str:
    prefix = "05"
    return f"{prefix} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} " + str(
        rng.randint(10, 99)
    )


def _rows(rng: random.Random) -> list[dict]:
    """Exactly TOTAL providers: the establishments, their services, then the other kinds."""
    rows: list[dict] = []
    for name, city, postcode, department in ESTABLISHMENTS:
        rows.append({
            "name": name, "kind": CareProvider.Kind.ESTABLISHMENT, "city": city,
            "postcode": postcode, "department": department,
            "address": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "phone": _phone(rng, department), "specialties": "oncologie, cancérologie",
            "description": "Établissement autorisé au traitement du cancer.",
        })  # fmt: skip
    for name, city, postcode, department in ESTABLISHMENTS:
        for service, specialties in rng.sample(SERVICES, 4):
            rows.append({
                "name": f"{service} — {name}", "kind": CareProvider.Kind.SERVICE,
                "establishment": name, "city": city, "postcode": postcode,
                "department": department, "specialties": specialties,
                "phone": _phone(rng, department),
            })  # fmt: skip
    departments = list(PLACES)
    index = 0
    while len(rows) < TOTAL:
        department = departments[index % len(departments)]
        kind, pattern, specialties = OTHERS[(index // len(departments)) % len(OTHERS)]
        city, postcode = PLACES[department][(index // 3) % len(PLACES[department])]
        name = pattern.format(place=city, dept_name=DEPT_NAMES[department])
        index += 1
        if any(row["name"] == name for row in rows):
            continue
        rows.append({
            "name": name, "kind": kind, "city": city, "postcode": postcode,
            "department": department, "specialties": specialties,
            "address": f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
            "phone": _phone(rng, department),
        })  # fmt: skip
    return rows[:TOTAL]


def seed(*, rng: random.Random) -> None:
    """The demo network's care offer, pathways and local groups; running it again adds
    nothing. Needs an admin (the author of the import and the pathways)."""
    admin = _admin()
    if admin is None or CareProvider.objects.exists():
        return
    with transaction.atomic():
        services.providers_import(actor=admin, rows=_rows(rng))
        by_name = {provider.name: provider for provider in CareProvider.objects.all()}
        lung = [
            p for p in by_name.values()
            if p.department == "86" and p.kind != CareProvider.Kind.PRACTICE
        ][:14]  # fmt: skip
        services.pathway_save(
            actor=admin, title="Être soigné pour un cancer du poumon dans la Vienne",
            pathology="Cancer du poumon", department="86",
            summary="Du premier rendez-vous à l'après-traitement : qui fait quoi, où, et "
            "comment les soins de support vous accompagnent dès le début.",
            body=LUNG_VIENNE, published=True, providers=lung,
        )  # fmt: skip
        breast = [p for p in by_name.values() if p.department == "17"
                  and p.kind != CareProvider.Kind.SERVICE][:12]  # fmt: skip
        services.pathway_save(
            actor=admin, title="Cancer du sein en Charente-Maritime : le parcours de soins",
            pathology="Cancer du sein", department="17",
            summary="Dépistage, décision en RCP, traitements et soins de support près de "
            "chez vous.",
            body=BREAST_CM, published=True, providers=breast,
        )  # fmt: skip
        _local_groups(admin, by_name)


def _local_groups(admin: Member, by_name: dict[str, CareProvider]) -> None:
    spaces = spaces_for(admin)
    if not spaces:
        return
    space = spaces[0]
    specs = [
        ("Vienne : entraide autour du cancer", "Se retrouver entre patients et proches de la "
         "Vienne : rencontres, adresses utiles, covoiturage vers le CHU.", {"department": "86"}),
        ("Nouvelle-Aquitaine : après les traitements", "Partager l'après-cancer dans la "
         "région : reprise du travail, activité physique, fatigue.", {"region": "75"}),
        ("Patients du CHU de Poitiers", "Pour celles et ceux qui sont suivis au CHU de "
         "Poitiers : l'hôpital de jour, les consultations, les astuces.",
         {"establishment": by_name.get("CHU de Poitiers")}),
    ]  # fmt: skip
    for name, description, place in specs:
        if Group.objects.filter(name=name).exists():
            continue
        group = services.local_group_create(
            proposer=admin, name=name, description=description, space=space,
            access=Group.Access.PUBLIC, **place,
        )  # fmt: skip
        if group.status != Group.Status.APPROVED:
            forums.group_approve(group=group, moderator=admin)

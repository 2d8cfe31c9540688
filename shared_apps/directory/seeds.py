"""The demo's directory: pathologies and themes, 600+ associations and 240 initiatives over
every région (overseas included), resources for associations and submitted events.

Every name is generated and says it is fictitious ("Association fictive Les Souffles
d'Armor"); websites and addresses are under the reserved ``.example`` domain; RNA numbers
start with W000 (none is issued so). Generation is seeded, so every run makes the same
rows; a run creates only the rows whose slug is missing (idempotent), in bulk, then writes
their search documents.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core import geo
from core.markup import render_markdown
from shared_apps.directory import search
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Pathology,
    Resource,
    Review,
    Theme,
)
from shared_apps.directory.seed_resources import RESOURCES

SEED = 20261206
ASSOCIATIONS = 620
INITIATIVES = 240
# A few of each wait in the operators' review queue.
PROPOSED = 6

PATHOLOGIES = (
    "Cancer du poumon", "Cancer du sein", "Cancer colorectal", "Cancer de la prostate",
    "Leucémies et lymphomes", "Cancers de l'enfant", "Diabète de type 1", "Diabète de type 2",
    "Insuffisance cardiaque", "Accident vasculaire cérébral", "BPCO", "Asthme",
    "Mucoviscidose", "Sclérose en plaques", "Maladie de Parkinson", "Maladie d'Alzheimer",
    "Épilepsie", "Maladie de Crohn et RCH", "Polyarthrite rhumatoïde", "Lupus",
    "Drépanocytose", "Insuffisance rénale chronique", "VIH", "Hépatites virales",
    "Endométriose", "Fibromyalgie", "Troubles du spectre de l'autisme", "Schizophrénie",
    "Troubles bipolaires", "Maladies rares", "Psoriasis", "Obésité",
)  # fmt: skip
THEMES = (
    "Information des patients", "Prévention et dépistage", "Recherche", "Éducation thérapeutique",
    "Droits des patients", "Accompagnement des proches", "Activité physique adaptée",
    "Vie professionnelle", "Soutien psychologique", "Numérique en santé", "Formation",
    "Représentation des usagers", "Financement", "Protection des données",
    "Animation de communauté", "Accès aux soins",
)  # fmt: skip

# How a name ends, by région: places people would put in an association's name.
PLACES = {
    "84": ("du Vercors", "des Monts du Forez", "de la Vallée du Rhône", "du Beaujolais",
           "des Combrailles", "de Chartreuse"),
    "27": ("du Morvan", "de la Côte-d'Or", "du Haut-Doubs", "de la Bresse", "du Jura"),
    "53": ("d'Armor", "de Cornouaille", "du Léon", "de Brocéliande", "du Trégor",
           "de la Rance"),
    "24": ("du Berry", "de Sologne", "de Touraine", "du Val de Loire", "du Perche"),
    "94": ("de l'Île de Beauté", "du Cap Corse", "de Balagne", "du Valinco"),
    "44": ("d'Alsace", "des Vosges", "de Lorraine", "de Champagne", "des Ardennes"),
    "32": ("des Flandres", "de la Côte d'Opale", "de Picardie", "de l'Avesnois", "du Hainaut"),
    "11": ("de Paris", "des Bords de Marne", "du Val-d'Oise", "du Hurepoix", "de la Brie"),
    "28": ("du Cotentin", "du Pays d'Auge", "du Bocage", "de la Côte d'Albâtre", "du Vexin"),
    "75": ("du Périgord", "des Landes", "du Pays basque", "du Limousin", "de Saintonge",
           "du Médoc"),
    "76": ("du Lauragais", "des Cévennes", "du Pays catalan", "de l'Aubrac", "du Quercy",
           "de Camargue"),
    "52": ("des Mauges", "de la Côte de Lumière", "du Pays nantais", "de l'Anjou",
           "du Maine"),
    "93": ("de Provence", "du Luberon", "de la Côte d'Azur", "des Alpes du Sud", "du Var"),
    "01": ("de Basse-Terre", "de Marie-Galante", "de Grande-Terre", "des Saintes"),
    "02": ("de Fort-de-France", "du Nord Caraïbe", "du Sud Martinique"),
    "03": ("de Cayenne", "du Maroni", "de l'Oyapock"),
    "04": ("de Saint-Denis", "des Hauts de l'Île", "de Saint-Pierre", "du Cirque de Mafate"),
    "06": ("de Mamoudzou", "de Petite-Terre", "du Sud de Mayotte"),
}  # fmt: skip
NAME_HEADS = (
    "Les Souffles", "Les Ailes", "Le Fil d'Ariane", "La Maison des patients", "Les Amis",
    "Le Cercle", "Entraide", "Les Phares", "La Passerelle", "Le Relais", "Les Lucioles",
    "La Boussole", "Les Mains tendues", "Le Chemin", "L'Horizon", "Les Colibris",
    "Vivre avec", "Ensemble", "La Parenthèse", "Les Cigognes", "L'Élan", "Les Hirondelles",
    "Le Trait d'union", "La Courte Échelle", "Solidarité", "Les Rencontres",
)  # fmt: skip
DESCRIPTIONS = (
    "Nous accompagnons les personnes touchées par {p} et leurs proches {place} : "
    "permanences d'écoute, groupes de parole mensuels et informations pratiques.",
    "Créée par des patients, l'association informe sur {p}, oriente vers les soins de "
    "support et défend les droits des malades {place}.",
    "Rencontres conviviales, ateliers d'activité physique adaptée et soutien aux aidants : "
    "notre association rompt l'isolement des personnes vivant avec {p} {place}.",
    "Bénévoles formés à l'écoute, présence dans les services hospitaliers et actions de "
    "sensibilisation du grand public, pour les personnes vivant avec {p} {place}.",
    "Nous finançons des projets de recherche sur {p}, organisons des journées "
    "d'information avec les équipes soignantes et publions un bulletin trimestriel.",
)
# Initiatives: what they are, and the words of those who started them.
INITIATIVE_KINDS = (
    ("Podcast", "Un podcast où des patients racontent leur quotidien avec {p}."),
    ("Blog", "Un blog qui explique avec des mots simples les traitements contre {p}."),
    ("Groupe de parole", "Un groupe de parole mensuel pour les personnes touchées par {p}."),
    ("Atelier", "Des ateliers d'éducation thérapeutique sur {p}, co-animés par des patients."),
    ("Formation", "Une formation de patients partenaires pour intervenir auprès des soignants."),
    ("Marche solidaire", "Une marche annuelle pour faire connaître {p} et collecter des dons."),
    ("Application", "Une application pour préparer ses consultations et suivre ses symptômes."),
    ("Permanence", "Une permanence d'accueil tenue par des pairs dans un service hospitalier."),
    ("Guide", "Un guide pratique sur les droits sociaux, écrit par des patients et des proches."),
    ("Café des aidants", "Des rencontres pour les proches aidants de personnes vivant avec {p}."),
)
_FEMININE_KINDS = ("Formation", "Marche solidaire", "Application", "Permanence")
MOTIVATIONS = (
    "Au moment du diagnostic, je n'ai trouvé personne à qui poser mes questions. Je voulais "
    "que d'autres n'aient pas à vivre ce sentiment d'isolement.",
    "En accompagnant ma mère pendant ses traitements, j'ai compris combien les proches "
    "manquent d'informations et de répit.",
    "Après ma rémission, j'ai eu envie de transmettre ce que j'avais appris et de rendre ce "
    "que d'autres patients m'avaient donné.",
    "Les soignants de mon service cherchaient des patients pour co-construire leurs "
    "ateliers : l'idée est née de ces échanges.",
    "Je voulais que l'expérience des patients soit entendue là où se prennent les décisions.",
)
SUCCESS_TEXTS = (
    "Le soutien de l'équipe soignante dès le départ et une petite subvention de la région "
    "nous ont permis de tenir la première année.",
    "Nous avons avancé pas à pas, avec des bénévoles fidèles et beaucoup de persévérance.",
    "Le bouche-à-oreille entre patients a tout changé ; les réseaux sociaux ont fait le reste.",
    "Une formation de patient expert m'a donné la légitimité et les outils pour animer.",
    "Le partenariat avec une association nationale nous a ouvert des portes.",
)
EVENTS = (
    ("Webinaire : préparer sa consultation d'annonce", "webinar", True),
    ("Journée régionale des patients partenaires", "in_person", False),
    ("Atelier d'écriture pour les proches aidants", "in_person", False),
    ("Webinaire : vos droits au travail pendant un traitement", "webinar", True),
    ("Marche solidaire d'automne", "in_person", False),
    ("Conférence : la recherche avance, les patients y participent", "in_person", False),
    ("Webinaire : bien manger pendant une chimiothérapie", "webinar", True),
    ("Café-rencontre des associations de la région", "in_person", False),
    ("Défi de marche connecté d'un mois", "challenge", True),
    ("Webinaire : devenir représentant des usagers", "webinar", True),
    ("Forum des associations de patients", "in_person", False),
    ("Atelier : animer un groupe de parole en ligne", "webinar", True),
)


def _rng() -> random.Random:
    return random.Random(SEED)  # noqa: S311 - demo data, not secrets


def vocabulary_seed() -> tuple[dict[str, int], dict[str, int]]:
    """The pathologies and themes, created once; their ids by name."""
    for model, names in ((Pathology, PATHOLOGIES), (Theme, THEMES)):
        existing = set(model.objects.values_list("name", flat=True))
        model.objects.bulk_create(
            [model(name=n, slug=slugify(n)[:60]) for n in names if n not in existing]
        )
    return (
        dict(Pathology.objects.values_list("name", "pk")),
        dict(Theme.objects.values_list("name", "pk")),
    )


def _regions_in_turn(rng: random.Random, count: int) -> list[str]:
    """Every région at least a few times, then more where more people live."""
    codes = sorted(geo.REGIONS)
    weights = {"11": 6, "84": 5, "93": 4, "75": 4, "76": 4, "32": 4, "44": 3}
    turns = codes * 3
    rest = [c for c in codes for _ in range(weights.get(c, 2))]
    turns += [rng.choice(rest) for _ in range(count - len(turns))]
    rng.shuffle(turns)
    return turns[:count]


_FEMININE = (
    "Maladie",
    "Insuffisance",
    "Mucoviscidose",
    "Sclérose",
    "Polyarthrite",
    "Drépanocytose",
    "Endométriose",
    "Fibromyalgie",
    "Schizophrénie",
    "BPCO",
)
_PLURAL = ("Leucémies", "Cancers", "Troubles", "Maladies", "Hépatites")


def _phrase(pathology_names: list[str]) -> str:
    """The first pathology with its article, as a sentence says it: "la maladie de
    Parkinson", "l'asthme", "les troubles bipolaires", "le VIH"."""
    if not pathology_names:
        return "une maladie chronique"
    name = pathology_names[0]
    first, _space, rest = name.partition(" ")
    word = first if first.isupper() else first.lower()
    text = f"{word} {rest}".strip()
    if first in _PLURAL:
        return f"les {text}"
    if word[0] in "aeiouyéèêh" and not first.isupper():
        return f"l'{text}"
    return f"la {text}" if first in _FEMININE else f"le {text}"


def associations_plan(pathology_ids: dict[str, int]) -> list[dict]:
    """The demo's associations as plain values, the same on every run."""
    rng = _rng()
    today = date(2026, 12, 1)
    names: set[str] = set()
    slugs: set[str] = set()
    plan = []
    for index, region in enumerate(_regions_in_turn(rng, ASSOCIATIONS)):
        national = index % 25 == 0
        place = rng.choice(PLACES[region])
        head = rng.choice(NAME_HEADS)
        name = (
            f"Association fictive {head}, réseau national"
            if national
            else (f"Association fictive {head} {place}")
        )
        # A second association of the same name is a local branch ("antenne").
        branches = [dep for _code, dep in geo.REGIONS[region][1]]
        while name in names:
            name = f"Association fictive {head} {place} – antenne {rng.choice(branches)}"
            if name in names:
                head = rng.choice(NAME_HEADS)
                name = f"Association fictive {head} {place}"
        names.add(name)
        slug = _unique(slugify(name.removeprefix("Association fictive "))[:70], slugs)
        pathologies = rng.sample(PATHOLOGIES, rng.choice((1, 1, 2, 2, 3)))
        departments = [code for code, _n in geo.REGIONS[region][1]]
        served = rng.sample(departments, rng.randint(1, min(3, len(departments))))
        approval = rng.choices(("", "regional", "national"), weights=(80, 14, 6))[0]
        # One in six has not confirmed its listing for more than a year.
        confirmed_days = rng.randint(380, 900) if index % 6 == 0 else rng.randint(5, 330)
        plan.append(
            {
                "name": name,
                "slug": slug,
                "description": rng.choice(DESCRIPTIONS).format(
                    p=_phrase(pathologies),
                    place="partout en France" if national else f"sur le territoire {place}",
                ),
                "pathologies": [pathology_ids[p] for p in pathologies],
                "regions": [] if national else [region],
                "departments": [] if national else sorted(served),
                "website": f"https://{slug}.example",
                "contact_email": f"contact@{slug}.example",
                "contact_phone": f"0{rng.randint(1, 5)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "legal_form": rng.choices(
                    ("association", "federation", "foundation", "collective"),
                    weights=(85, 6, 4, 5),
                )[0],
                "rna": f"W000{index:06d}",
                "approval": approval,
                "approval_ends": (
                    today + timedelta(days=rng.randint(-200, 1500)) if approval else None
                ),
                "confirmed_days": confirmed_days,
                "review": Review.PROPOSED if index < PROPOSED else Review.PUBLISHED,
            }
        )
    return plan


def initiatives_plan(pathology_ids: dict[str, int], theme_ids: dict[str, int]) -> list[dict]:
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data
    slugs: set[str] = set()
    plan = []
    for index, region in enumerate(_regions_in_turn(rng, INITIATIVES)):
        kind, description = rng.choice(INITIATIVE_KINDS)
        fictive = "fictive" if kind in _FEMININE_KINDS else "fictif"
        pathologies = rng.sample(PATHOLOGIES, rng.choice((1, 1, 2)))
        place = rng.choice(PLACES[region])
        title = f"{kind} {fictive} « {rng.choice(NAME_HEADS)} » {place}"
        slug = _unique(slugify(title)[:70], slugs)
        department = rng.choice(geo.REGIONS[region][1])[0] if rng.random() < 0.6 else ""
        national = index % 12 == 0
        plan.append(
            {
                "title": title,
                "slug": slug,
                "description": description.format(p=_phrase(pathologies))
                + " Initiative fictive créée pour la démonstration.",
                "carrier": rng.choices(
                    ("patient", "former", "caregiver", "professional"), weights=(40, 25, 25, 10)
                )[0],
                "form": rng.choices(
                    ("associative", "entrepreneurial", "salaried", "volunteer"),
                    weights=(45, 15, 10, 30),
                )[0],
                "roles": sorted(
                    rng.sample([c for c, _l in Initiative.PatientRole.choices], rng.randint(1, 3))
                ),
                "themes": [theme_ids[t] for t in rng.sample(THEMES, rng.randint(1, 3))],
                "pathologies": [pathology_ids[p] for p in pathologies],
                "region": "" if national else region,
                "department": "" if national else department,
                "started_on": date(2026, 1, 1) - timedelta(days=rng.randint(30, 3650)),
                "activity": rng.choices(("project", "active", "ended"), weights=(10, 80, 10))[0],
                "motivation": rng.choice(MOTIVATIONS),
                "success_factors": sorted(
                    rng.sample([c for c, _l in Initiative.SuccessFactor.choices], rng.randint(1, 4))
                ),
                "success_text": rng.choice(SUCCESS_TEXTS),
                "website": f"https://{slug}.example" if rng.random() < 0.5 else "",
                "review": Review.PROPOSED if index < PROPOSED else Review.PUBLISHED,
            }
        )
    return plan


def _unique(base: str, taken: set[str]) -> str:
    base = base.strip("-")
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _create(model, plan: list[dict], relations: tuple[str, ...], build) -> list[int]:
    """Bulk-create the planned rows whose slug is missing, with their many-to-many links."""
    existing = set(
        model.objects.filter(slug__in=[p["slug"] for p in plan]).values_list("slug", flat=True)
    )
    todo = [p for p in plan if p["slug"] not in existing]
    created = model.objects.bulk_create([build(p) for p in todo], batch_size=500)
    own = f"{model._meta.model_name}_id"
    for name in relations:
        through = getattr(model, name).through
        target = "pathology_id" if name == "pathologies" else "theme_id"
        through.objects.bulk_create(
            [
                through(**{own: obj.pk, target: pk})
                for obj, values in zip(created, todo, strict=True)
                for pk in values[name]
            ],
            batch_size=2000,
        )
    return [obj.pk for obj in created]


def directory_seed(*, progress: Callable[[str], None] = lambda _m: None) -> Iterator[str]:
    """Fill the directory with the demo's data; idempotent."""
    now = timezone.now()
    with transaction.atomic():
        pathology_ids, theme_ids = vocabulary_seed()
        progress("pathologies and themes")

        def association(p: dict) -> Association:
            fields = {k: v for k, v in p.items() if k not in ("pathologies", "confirmed_days")}
            published = p["review"] == Review.PUBLISHED
            confirmed = now - timedelta(days=p["confirmed_days"])
            return Association(
                **fields,
                published_at=confirmed if published else None,
                confirmed_at=confirmed if published else None,
                proposer_email="" if published else f"proposition@{p['slug']}.example",
            )

        association_ids = _create(
            Association, associations_plan(pathology_ids), ("pathologies",), association
        )
        progress(f"{len(association_ids)} associations")

        def initiative(p: dict) -> Initiative:
            fields = {k: v for k, v in p.items() if k not in ("pathologies", "themes")}
            published = p["review"] == Review.PUBLISHED
            return Initiative(
                **fields,
                published_at=now if published else None,
                proposer_email="" if published else f"proposition@{p['slug']}.example",
            )

        initiative_ids = _create(
            Initiative,
            initiatives_plan(pathology_ids, theme_ids),
            ("pathologies", "themes"),
            initiative,
        )
        progress(f"{len(initiative_ids)} initiatives")
        resource_ids = _resources_seed(theme_ids, now)
        progress(f"{len(resource_ids)} resources")
        event_ids = _events_seed(pathology_ids, now)
        progress(f"{len(event_ids)} submitted events")
    for model, ids in (
        (Association, association_ids),
        (Initiative, initiative_ids),
        (Resource, resource_ids),
        (DirectoryEvent, event_ids),
    ):
        search.reindex(model, ids)
    progress("search documents")
    yield (
        f"Directory: {Association.objects.count()} associations, "
        f"{Initiative.objects.count()} initiatives, {Resource.objects.count()} resources, "
        f"{DirectoryEvent.objects.filter(tenant=None).count()} submitted events"
    )


def _resources_seed(theme_ids: dict[str, int], now) -> list[int]:
    existing = set(Resource.objects.values_list("slug", flat=True))
    todo = [r for r in RESOURCES if slugify(r["title"])[:80] not in existing]
    created = Resource.objects.bulk_create(
        [
            Resource(
                title=r["title"],
                slug=slugify(r["title"])[:80],
                summary=r["summary"],
                body=r["body"],
                body_html=str(render_markdown(r["body"], top_heading=2)),
                published=True,
                published_at=now - timedelta(days=7 * index),
            )
            for index, r in enumerate(todo)
        ]
    )
    through = Resource.themes.through
    through.objects.bulk_create(
        [
            through(resource_id=obj.pk, theme_id=theme_ids[name])
            for obj, r in zip(created, todo, strict=True)
            for name in r["themes"]
        ]
    )
    return [obj.pk for obj in created]


def _events_seed(pathology_ids: dict[str, int], now) -> list[int]:
    """Events submitted directly (no network): in the coming weeks, one still in review."""
    if DirectoryEvent.objects.filter(tenant=None, url__contains=".example/").exists():
        return []
    rng = random.Random(SEED + 2)  # noqa: S311 - demo data
    regions = sorted(geo.REGIONS)
    start = (now + timedelta(days=3)).replace(hour=18, minute=0, second=0, microsecond=0)
    rows, links = [], []
    for index, (title, fmt, online) in enumerate(EVENTS):
        region = "" if online else regions[(index * 7) % len(regions)]
        department = "" if online else rng.choice(geo.REGIONS[region][1])[1]
        place = f"Maison des associations, {department}" if department else ""
        starts = start + timedelta(days=6 * index, hours=rng.choice((-4, -2, 0)))
        slug = slugify(title)[:60]
        rows.append(
            DirectoryEvent(
                title=title,
                summary=f"Événement fictif de démonstration. {title}.",
                format=fmt,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2 if fmt != "challenge" else 24 * 30),
                online=online,
                place=place,
                region=region,
                network_name=f"Association fictive {rng.choice(NAME_HEADS)}",
                url=f"https://{slug}.example/",
                review=Review.PROPOSED if index == len(EVENTS) - 1 else Review.PUBLISHED,
                published_at=None if index == len(EVENTS) - 1 else now,
            )
        )
        links.append(rng.sample(PATHOLOGIES, rng.randint(0, 2)))
    created = DirectoryEvent.objects.bulk_create(rows)
    through = DirectoryEvent.pathologies.through
    through.objects.bulk_create(
        [
            through(directoryevent_id=obj.pk, pathology_id=pathology_ids[name])
            for obj, names in zip(created, links, strict=True)
            for name in names
        ]
    )
    return [obj.pk for obj in created]

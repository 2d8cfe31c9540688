"""What every new network's knowledge base starts with, and the demo networks' articles."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from tenant_apps.knowledge import services
from tenant_apps.knowledge.models import Article, Category
from tenant_apps.knowledge.services import SourceData

DEFAULT_CATEGORIES = (
    "Immunothérapie",
    "Thérapie ciblée",
    "Chimiothérapie",
    "Essais cliniques",
    "Soins de support",
    "Droits et démarches",
    "Vie quotidienne",
)


def seed_defaults() -> None:
    """The knowledge base's themes."""
    Category.objects.bulk_create(
        [
            Category(slug=slugify(name), name=name, position=position)
            for position, name in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,  # idempotent: a second run adds nothing
    )


HAS = ("Haute Autorité de santé (HAS)", "https://www.has-sante.fr/")
INCA = ("Institut national du cancer (INCa)", "https://www.e-cancer.fr/")
SERVICE_PUBLIC = ("Service-Public.fr", "https://www.service-public.fr/")

# (title, summary, body, theme slugs, tags, sources as (title, publisher, url, date))
DEMO_ARTICLES = (
    (
        "Comprendre la thérapie ciblée",
        "Ce qu'est une thérapie ciblée, comment on choisit ce traitement et les effets "
        "indésirables les plus fréquents.",
        "### En quelques mots\n\nUne **thérapie ciblée** agit sur une anomalie précise des "
        "cellules cancéreuses, recherchée au préalable par un test moléculaire sur la tumeur."
        "\n\n### Les effets indésirables fréquents\n\n- éruptions cutanées ;\n- diarrhées ;\n"
        "- fatigue.\n\nParlez-en à votre équipe soignante : la plupart se soignent bien.",
        ("therapie-ciblee",),
        ("tests moléculaires",),
        (("Les thérapies ciblées (guide patients)", *INCA, datetime.date(2023, 5, 12)),),
    ),
    (
        "L'immunothérapie : comment ça marche ?",
        "L'immunothérapie aide le système immunitaire à reconnaître et attaquer les cellules "
        "cancéreuses. Ce qu'il faut savoir avant de commencer.",
        "### Le principe\n\nLes **inhibiteurs de points de contrôle immunitaire** lèvent un frein "
        "que la tumeur impose aux défenses de l'organisme.\n\n### À surveiller\n\nDes effets "
        "inflammatoires peuvent toucher la peau, l'intestin, la thyroïde ou les poumons : "
        "signalez tout symptôme nouveau, même des mois après le début du traitement.",
        ("immunotherapie",),
        ("effets indésirables",),
        (
            ("Immunothérapie : ce qu'il faut savoir", *INCA, datetime.date(2024, 2, 1)),
            ("Bon usage des immunothérapies", *HAS, datetime.date(2022, 9, 20)),
        ),
    ),
    (
        "ALD : faire reconnaître une affection de longue durée",
        "Le cancer ouvre droit à la prise en charge à 100 % des soins liés à la maladie. "
        "Les étapes pour la demander.",
        "### Qui fait la demande ?\n\nLe **médecin traitant** remplit le protocole de soins et "
        "l'envoie à l'Assurance maladie.\n\n### Ce qui est couvert\n\nLes soins et traitements "
        "en rapport avec la maladie, sur la base du tarif de la Sécurité sociale.",
        ("droits-et-demarches",),
        ("ALD", "Assurance maladie"),
        (("Affection de longue durée (ALD)", *SERVICE_PUBLIC, datetime.date(2024, 1, 1)),),
    ),
)


def demo_content(*, accounts) -> None:
    """A few published, sourced articles, written and reviewed by the network's reviewer;
    idempotent (matched by title)."""
    seed_defaults()
    admin = accounts["relecture"]
    for title, summary, body, themes, tags, sources in DEMO_ARTICLES:
        if Article.objects.filter(title=title).exists():
            continue
        article = services.article_create(
            author=admin,
            title=title,
            summary=summary,
            body=body,
            categories=list(Category.objects.filter(slug__in=themes)),
            tags=list(tags),
            sources=[
                SourceData(title=t, publisher=p, url=u, published_on=d) for t, p, u, d in sources
            ],
        )
        services.article_submit(article=article, by=admin)
        services.article_publish(
            article=article,
            reviewer=admin,
            next_review_on=timezone.localdate() + datetime.timedelta(days=365),
        )

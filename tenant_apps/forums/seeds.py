"""What every new network's forums start with."""

from django.core.cache import cache
from django.db.models import Max

from tenant_apps.forums import services
from tenant_apps.forums.models import Category, ContentWarning, Group, Post, Topic
from tenant_apps.forums.selectors import CONTENT_WARNINGS_KEY
from tenant_apps.members.models import Space

DEFAULT_WARNINGS = ("Décès", "Récidive", "Soins palliatifs")
# (space slug, category slug, name, description)
DEFAULT_CATEGORIES = (
    ("patients", "bienvenue", "Bienvenue", "Présentez-vous et posez vos premières questions."),
    ("patients", "traitements", "Traitements et effets secondaires",
     "Partager son expérience des traitements."),
    ("patients", "vie-quotidienne", "Vie quotidienne", "Travail, fatigue, alimentation, moral."),
    ("proches-aidants", "bienvenue-proches", "Bienvenue", "Présentez-vous entre proches aidants."),
    ("proches-aidants", "aider-sans-s-epuiser", "Aider sans s'épuiser",
     "Répit, démarches, soutien."),
)  # fmt: skip


def seed_defaults() -> None:
    """Content warnings and one forum per theme in each default space; a second run adds
    nothing."""
    ContentWarning.objects.bulk_create(
        [ContentWarning(name=name, position=i) for i, name in enumerate(DEFAULT_WARNINGS)],
        ignore_conflicts=True,
    )
    cache.delete(CONTENT_WARNINGS_KEY)  # bulk_create sends no signal
    spaces = {space.slug: space for space in Space.objects.all()}
    start = Category.objects.aggregate(m=Max("position"))["m"] or 0
    Category.objects.bulk_create(
        [
            Category(space=spaces[space_slug], slug=slug, name=name, description=description,
                     position=start + i)
            for i, (space_slug, slug, name, description) in enumerate(DEFAULT_CATEGORIES, 1)
            if space_slug in spaces
        ],
        ignore_conflicts=True,
    )  # fmt: skip


# (category slug, author key, title, opening body, [(author key, reply body)], pinned)
DEMO_TOPICS = (
    ("bienvenue", "modo", "Bienvenue : comment fonctionnent les forums",
     "Bonjour à toutes et à tous !\n\nIci, chacun écrit sous pseudonyme. Quelques repères :\n\n"
     "- **restez bienveillants**, nous traversons tous des moments difficiles ;\n"
     "- ne publiez ni numéro de téléphone, ni adresse ;\n"
     "- cochez un *avertissement* quand vous parlez de sujets sensibles.\n\n"
     "Les modératrices et modérateurs sont des patients partenaires bénévoles.",
     [], True),
    ("bienvenue", "membre", "Bonjour, nouvelle ici",
     "Bonjour, on m'a annoncé le diagnostic il y a trois semaines. Je ne sais pas trop par où "
     "commencer, mais ça fait du bien de lire vos messages.",
     [("modo", "Bienvenue @{membre} ! Prenez votre temps. La rubrique « Traitements » regorge "
               "d'expériences partagées, et vous pouvez poser toutes vos questions ici."),
      ("membre", "Merci beaucoup pour l'accueil, je vais faire le tour des sujets.")], False),
    ("traitements", "membre", "Immunothérapie : comment gérez-vous la fatigue ?",
     "Je suis à ma quatrième cure d'immunothérapie et la fatigue est vraiment présente en fin "
     "de journée. Vous avez des astuces pour tenir le coup ?",
     [("modo", "Pour moi, les courtes siestes et la marche douce ont beaucoup aidé. "
               "N'hésitez pas à en parler à votre oncologue : la fatigue se traite aussi."),
      ("membre", "Merci, j'en parlerai à la prochaine consultation.")], False),
    ("vie-quotidienne", "modo", "Reprendre le travail après les traitements",
     "Qui a repris son activité en temps partiel thérapeutique ? Comment cela s'est-il passé "
     "avec votre employeur et la médecine du travail ?",
     [("membre", "J'ai repris à mi-temps il y a deux mois, l'équipe a été compréhensive. "
                 "Le plus dur, c'est la fatigue de l'après-midi.")], False),
    ("aider-sans-s-epuiser", "proche", "Comment trouvez-vous du répit ?",
     "J'accompagne mon mari depuis un an. Je me sens épuisée et un peu coupable de le dire. "
     "Comment faites-vous pour souffler un peu ?",
     [("modo", "Vous n'avez pas à culpabiliser. Les plateformes de répit et les associations "
               "d'aidants proposent des relais ; votre médecin traitant peut vous orienter.")],
     False),
)  # fmt: skip


def demo_content(*, accounts) -> None:
    """A few realistic French topics and replies, through the real services; idempotent."""
    moderator = accounts["modo"]
    names = {key: member.display_name for key, member in accounts.items()}
    for slug, author_key, title, body, replies, pinned in DEMO_TOPICS:
        category = Category.objects.filter(slug=slug).first()
        if category is None or Topic.objects.filter(category=category, title=title).exists():
            continue
        topic = services.topic_create(
            author=accounts[author_key], category=category, title=title, body=body
        )
        written = [topic.opening_post]
        for reply_author, reply_body in replies:
            written.append(
                services.post_create(
                    author=accounts[reply_author], topic=topic, body=reply_body.format(**names)
                )
            )
        # New demo members are pre-moderated like real ones: the demo moderator approves.
        for post in written:
            if post.status == Post.Status.HELD:
                services.post_publish(post=post, moderator=moderator)
        if pinned:
            Topic.objects.filter(pk=topic.pk).update(pinned=True)
    _demo_group(accounts)


def _demo_group(accounts) -> None:
    space = Space.objects.filter(slug="patients").first()
    if space is None or Group.objects.filter(name="Thérapies ciblées").exists():
        return
    group = services.group_propose(
        proposer=accounts["membre"], name="Thérapies ciblées", space=space,
        access=Group.Access.PUBLIC,
        description="Pour échanger entre personnes traitées par thérapie ciblée (ALK, EGFR…).",
    )  # fmt: skip
    services.group_approve(group=group, moderator=accounts["modo"])

"""What every new network's forums start with."""

from django.db.models import Max

from tenant_apps.forums.models import Category, ContentWarning
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
    """Content warnings and one forum per theme in each default space."""
    for position, name in enumerate(DEFAULT_WARNINGS):
        ContentWarning.objects.get_or_create(name=name, defaults={"position": position})
    spaces = {space.slug: space for space in Space.objects.all()}
    position = Category.objects.aggregate(m=Max("position"))["m"] or 0
    for space_slug, slug, name, description in DEFAULT_CATEGORIES:
        space = spaces.get(space_slug)
        if space is None:
            continue
        position += 1
        Category.objects.get_or_create(
            slug=slug,
            defaults={
                "space": space,
                "name": name,
                "description": description,
                "position": position,
            },
        )

"""What every new network's moderation starts with."""

from tenant_apps.moderation.models import CrisisTerm, ModerationSettings, OnDuty, WatchedWord

# Words and phrases that may signal a suicidal crisis or self-harm, in French. Matching folds
# accents and needs whole words; the network edits the list.
DEFAULT_CRISIS_TERMS = (
    "suicide", "suicider", "me suicider", "me tuer", "mettre fin à mes jours",
    "en finir", "plus envie de vivre", "envie de mourir", "veux mourir", "je veux mourir",
    "disparaître pour toujours", "me faire du mal", "me scarifier", "scarification",
    "automutilation", "overdose", "avaler tous mes médicaments", "sauter du pont",
    "me pendre", "pendaison", "ne plus me réveiller", "à quoi bon vivre",
    "tout arrêter définitivement", "lettre d'adieu",
)  # fmt: skip


def seed_defaults() -> None:
    """The default crisis terms and moderation policy."""
    CrisisTerm.objects.bulk_create(
        [CrisisTerm(phrase=phrase) for phrase in DEFAULT_CRISIS_TERMS],
        ignore_conflicts=True,  # idempotent: a second run adds nothing
    )
    if not ModerationSettings.objects.exists():
        ModerationSettings.objects.create()


def demo_content(*, accounts) -> None:
    """The demo moderator is on duty and a watched word flags miracle cures; idempotent."""
    OnDuty.objects.get_or_create(member=accounts["modo"])
    WatchedWord.objects.get_or_create(
        phrase="remède miracle", defaults={"action": WatchedWord.Action.FLAG}
    )

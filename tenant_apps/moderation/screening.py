"""What a post is checked for before it is saved: the network's watched words, signs of a
suicidal crisis, identifying data, and whether its author is still pre-moderated.

Matching is on accent-folded, lower-cased text and whole words, so "Suicide" and "suicidé"
do not miss each other and "tapis" does not match "api".
"""

import re
from dataclasses import dataclass, field

from core.search import fold
from tenant_apps.members.models import Member, Role
from tenant_apps.moderation.models import CrisisTerm, ModerationSettings, WatchedWord

# Identifying data a member may not mean to publish. Deliberately broad: the author is asked
# to confirm, nothing is refused.
IDENTIFYING_PATTERNS = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # French numbers: 0X XX XX XX XX, +33 X XX XX XX XX, with spaces, dots or dashes.
    "phone": re.compile(r"(?<!\d)(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"),
    # NIR: sex digit, year, month (or 20/30-42/50+), département incl. 2A/2B, 3+3 digits, key.
    "social_security_number": re.compile(
        r"(?<!\d)[12]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[ab])\s?\d{3}\s?\d{3}"
        r"(?:\s?\d{2})?(?!\d)",
        re.IGNORECASE,
    ),
    # A street address: a number, a street word, a name; or a 5-digit postcode and a town.
    # Words that are also common nouns ("1 cours de yoga", "2 places") need a capitalised
    # name after them; a town needs its capital ("75000 personnes" is not an address).
    "postal_address": re.compile(
        r"(?i:\b\d{1,4}\s?(?:bis|ter)?,?\s+(?:rue|avenue|av\.|boulevard|bd|impasse|allée|allee|"
        r"quai|résidence|residence|lotissement)\s+\w+)"
        r"|\b\d{1,4}\s?(?i:bis|ter)?,?\s+(?i:place|cours|route|chemin|square)\s+"
        r"(?:(?:de la|de l'|de|du|des|d')\s*)?[A-ZÀ-Ý]\w+"
        r"|\b(?:0[1-9]|[1-8]\d|9[0-8])\d{3}\s+[A-ZÀ-Ý][a-zà-ÿ'-]+",
    ),
}


@dataclass(frozen=True)
class Screening:
    """The outcome of screening one post's text."""

    blocked_by: list[str] = field(default_factory=list)
    held_by: list[str] = field(default_factory=list)
    flagged_by: list[str] = field(default_factory=list)
    # The author is a new member whose first posts wait for a moderator.
    premoderated: bool = False
    crisis: bool = False
    identifying: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.blocked_by)

    @property
    def held(self) -> bool:
        return self.premoderated or bool(self.held_by)


# Phones type a typographic apostrophe ("lettre d’adieu"); the lists use the straight one.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'"})


def _folded(text: str) -> str:
    return fold(text).translate(APOSTROPHES)


def _contains(folded_text: str, phrase: str) -> bool:
    """Whole words, any spacing between them (a line break, two spaces)."""
    words = [re.escape(word) for word in _folded(phrase).split()]
    if not words:
        return False
    pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    return re.search(pattern, folded_text) is not None


def identifying_data(text: str) -> list[str]:
    """The kinds of identifying data found in a text (``email``, ``phone``, …)."""
    return [kind for kind, pattern in IDENTIFYING_PATTERNS.items() if pattern.search(text)]


def post_screen(*, author: Member, text: str, published_posts: int) -> Screening:
    """Screen a post before it is saved; ``published_posts`` is what the author already has."""
    folded = _folded(text)
    by_action: dict[str, list[str]] = {action: [] for action in WatchedWord.Action.values}
    for word in WatchedWord.objects.all():
        if _contains(folded, word.phrase):
            by_action[word.action].append(word.phrase)
    settings = ModerationSettings.objects.first()
    limit = settings.premoderated_posts if settings else 0
    staff = author.role in (Role.MODERATOR, Role.ADMIN)
    return Screening(
        blocked_by=by_action[WatchedWord.Action.BLOCK],
        held_by=by_action[WatchedWord.Action.HOLD],
        flagged_by=by_action[WatchedWord.Action.FLAG],
        premoderated=not staff and published_posts < limit,
        crisis=any(_contains(folded, term.phrase) for term in CrisisTerm.objects.all()),
        identifying=identifying_data(text),
    )

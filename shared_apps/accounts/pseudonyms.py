"""The one rule for pseudonyms (usernames): what they may contain, their normal form, and
the "skeleton" under which two pseudonyms that look alike are the same.

Sign-up, invitations, the admin and every service go through ``pseudonym_clean``; the
skeleton is stored with a unique constraint (``User.pseudonym_key``), so two concurrent
sign-ups cannot both take look-alike pseudonyms.
"""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 3
MAX_LENGTH = 40
# Letters and digits of any script, then "-", "_" or "."; it starts with a letter or a
# digit. Never "/", "@" or a space: pseudonyms go into URLs and mentions.
_ALLOWED = re.compile(r"[^\W_][\w.-]*\Z")

# Latin look-alikes from Cyrillic and Greek (lower case: the skeleton is case-folded
# first), digits that pass for letters, and separators that pass for one another. A small
# subset of Unicode's confusables (UTS #39), enough for the scripts members type.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "г": "r", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i",
        "ј": "j", "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
        "ү": "y", "һ": "h", "ь": "b",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
        "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        "ϲ": "c", "ϳ": "j",
        # Latin and digits
        "ı": "i", "ȷ": "j", "0": "o", "1": "l", "ł": "l",
        # Separators
        "_": "-", ".": "-",
    }
)  # fmt: skip


def pseudonym_normalize(value: str) -> str:
    """The stored form: NFKC (full-width letters become plain ones), no outer spaces."""
    return unicodedata.normalize("NFKC", value).strip()


def pseudonym_skeleton(value: str) -> str:
    """What a pseudonym looks like: equal skeletons mean look-alike pseudonyms."""
    folded = unicodedata.normalize("NFKC", pseudonym_normalize(value).casefold())
    return unicodedata.normalize("NFKC", folded.translate(_CONFUSABLES))


@deconstructible
class PseudonymValidator:
    """The model field's validator: allowed characters and length (not uniqueness)."""

    def __call__(self, value: str) -> None:
        normal = pseudonym_normalize(value)
        if not MIN_LENGTH <= len(normal) <= MAX_LENGTH:
            raise ValidationError(
                _("A pseudonym has %(min)d to %(max)d characters.")
                % {"min": MIN_LENGTH, "max": MAX_LENGTH},
                code="pseudonym_length",
            )
        if not _ALLOWED.match(normal):
            raise ValidationError(
                _(
                    "A pseudonym starts with a letter or a digit and has only letters, "
                    "digits, “-”, “_” and “.”."
                ),
                code="pseudonym_characters",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PseudonymValidator)


def pseudonym_clean(value: str, *, exclude_user_id: int | None = None) -> str:
    """The normal form of a new pseudonym, or a ValidationError: wrong characters or length,
    taken, or looking like a pseudonym of this schema."""
    normal = pseudonym_normalize(value)
    PseudonymValidator()(normal)
    others = get_user_model().objects.exclude(pk=exclude_user_id)
    if others.filter(username__iexact=normal).exists():
        raise ValidationError(_("This pseudonym is already taken."), code="pseudonym_taken")
    if others.filter(pseudonym_key=pseudonym_skeleton(normal)).exists():
        raise ValidationError(
            _("This pseudonym looks too much like another member's: choose another one."),
            code="pseudonym_lookalike",
        )
    return normal

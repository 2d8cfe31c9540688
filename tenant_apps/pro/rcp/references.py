"""The one rule for a case's reference: a code from the hospital's record system, never a
name, a date of birth or a social security number (NIR).

A reference is accepted when, once trimmed, upper-cased and its spaces collapsed:
- it is 4 to 40 characters of letters A-Z, digits, spaces, ``-`` and ``_`` only (no ``/``
  or ``.``, which dates use; no accents, which names use);
- it holds at least 4 digits (a code, not a word);
- every run of letters is at most 3 long (``IPP``, ``RCP``, ``THX``: a name is longer);
- no group of digits joined by single separators forms a date: three parts read as
  day-month-year or year-month-day (``12/03/1958`` is already refused for its ``/``,
  ``12-03-1958``, ``1958-03-12``, ``12 03 58``), or eight digits in a row read as
  DDMMYYYY or YYYYMMDD with a year from 1900 to 2099;
- no such group of digits is 13 to 15 digits long starting with 1, 2, 3, 4, 7 or 8 (a NIR,
  with or without its key, with or without spaces; Corsica's 2A and 2B count as digits).

Short names of three letters or less next to four digits ("LI 1234") cannot be told from a
code; the rule says so rather than pretend.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED = re.compile(r"^[A-Z0-9_ -]{4,40}$")
LETTERS = re.compile(r"[A-Z]+")
# Digits, possibly split by single separators: "1 58 03 75 123 456 78", "2024-000123".
DIGIT_GROUP = re.compile(r"\d+(?:[ _-]\d+)*")
NIR_FIRST = "123478"
CORSICA = re.compile(r"(\d[ _-]?)2[AB]")

REFUSED = _(
    "Give the reference of the record system only (letters, digits, dashes: "
    "“IPP 2024-000123”), never a name, a date of birth or a social security number."
)


def normalise(value: str) -> str:
    return " ".join(value.split()).upper()


def _is_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _year(text: str) -> int | None:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        return 1900 + int(text)  # any century: only whether it is a valid date matters
    return None


def _looks_like_date(parts: list[str]) -> bool:
    if len(parts) == 3:
        first, middle, last = parts
        year = _year(last)
        if year is not None and len(first) <= 2 and len(middle) <= 2:
            if _is_date(int(first), int(middle), year):
                return True
        year = _year(first)
        if year is not None and len(middle) <= 2 and len(last) <= 2:
            if _is_date(int(last), int(middle), year):
                return True
    joined = "".join(parts)
    if len(joined) == 8:
        day, month, year = int(joined[:2]), int(joined[2:4]), int(joined[4:])
        if 1900 <= year <= 2099 and _is_date(day, month, year):
            return True
        year, month, day = int(joined[:4]), int(joined[4:6]), int(joined[6:])
        if 1900 <= year <= 2099 and _is_date(day, month, year):
            return True
    return False


def problem(value: str) -> str | None:
    """Why ``value`` is refused (a code for tests and logs, never the value), or None."""
    text = normalise(value)
    if not ALLOWED.match(text):
        return "characters"
    if sum(c.isdigit() for c in text) < 4:
        return "too_few_digits"
    if any(len(run) > 3 for run in LETTERS.findall(text)):
        return "word"
    # Corsica's NIRs hold 2A or 2B for the département: read as digits for this check.
    for group in DIGIT_GROUP.findall(CORSICA.sub(r"\g<1>20", text)):
        parts = re.split(r"[ _-]", group)
        joined = "".join(parts)
        if 13 <= len(joined) <= 15 and joined[0] in NIR_FIRST:
            return "nir"
        if _looks_like_date(parts):
            return "date"
    return None


def clean_reference(value: str, *, field: str = "reference") -> str:
    """The normalised reference, or a ValidationError on ``field``."""
    if problem(value) is not None:
        raise ValidationError({field: [ValidationError(REFUSED, code="reference")]})
    return normalise(value)

"""The case reference rule (tenant_apps/pro/rcp/references.py): codes of a record system
pass; names, dates of birth and social security numbers (NIR) never do."""

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.pro.rcp.references import clean_reference, problem

ACCEPTED = [
    "IPP 2024-000123",
    "RCP-THX-2025-0042",
    "ipp 2024-000123",
    "NIP 12345678",
    "DOS_2025_00042",
    "123456",
    "A1B2C3D4",
    "IPP 2024-0001 23",
    "0012345678901",  # 13 digits starting with 0: not a NIR
    "IPP 20241399",  # 8 digits, not a date (month 13)
    "RCP 2025 0042",
]
REFUSED = [
    ("Jean Dupont", "too_few_digits"),
    ("DUPONT J", "too_few_digits"),
    ("DUPONT 1234", "word"),
    ("Dupont-2025-0042", "word"),
    ("MARTIN J 2024-0001", "word"),
    ("12/03/1958", "characters"),
    ("12.03.1958", "characters"),
    ("1958-03-12", "date"),
    ("12-03-1958", "date"),
    ("12 03 58", "date"),
    ("IPP 12031958", "date"),
    ("IPP 19580312", "date"),
    ("IPP 1-3-1958", "date"),
    ("1 58 03 75 123 456 78", "nir"),
    ("158037512345678", "nir"),
    ("2580375123456", "nir"),  # without its key
    ("IPP 1 58 03 75 123 456", "nir"),
    ("7-58-03-75-123-456-78", "nir"),
    ("2 84 12 2A 123 456 78", "nir"),  # Corsica
    ("José 1234", "characters"),
    ("IPP 2024/000123", "characters"),
    ("IPP", "characters"),
    ("12", "characters"),
    ("X" * 41, "characters"),
    ("IPP 2024-000123\n", None),  # trailing whitespace is trimmed: accepted
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_record_references_are_accepted(value):
    assert problem(value) is None
    assert clean_reference(value) == " ".join(value.split()).upper()


@pytest.mark.parametrize(("value", "why"), REFUSED)
def test_names_dates_and_nirs_are_refused(value, why):
    assert problem(value) == why
    if why is None:
        return
    with pytest.raises(ValidationError) as refused:
        clean_reference(value)
    assert list(refused.value.message_dict) == ["reference"]
    # The message never repeats what was typed.
    assert len(value) < 5 or value not in str(refused.value)


def test_a_megabyte_is_refused_quickly():
    assert problem("1" * 1_000_000) == "characters"

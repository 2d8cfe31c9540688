"""French is the default language and its catalogue is complete."""

from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_french_translation():
    entries = CATALOGUE.read_text().split("\n\n")[1:]
    missing = [
        entry
        for entry in entries
        if "#, fuzzy" in entry or entry.rstrip().endswith('msgstr ""') and "msgid" in entry
    ]
    assert missing == []


@pytest.mark.django_db
def test_pages_are_french_by_default_and_english_on_request(tenant, client_for):
    french = client_for(tenant).get("/")
    assert french["Content-Language"] == "fr"
    assert "Espaces" in french.content.decode() or "espaces" in french.content.decode()
    english = client_for(tenant).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert "Spaces" in english.content.decode()

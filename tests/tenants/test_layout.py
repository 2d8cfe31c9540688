"""The shared layout: icons, messages, the folding menu and the language form
(docs/design.md)."""

import re
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.fixtures import host_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "design.md"


def documented_icons() -> list[str]:
    section = DOC.read_text().split("## Icons", 1)[1].split("##", 1)[0]
    names = section.split("Names:", 1)[1].split(". An unknown", 1)[0]
    return re.findall(r"`([a-z-]+)`", names)


def test_the_documented_icons_are_the_ones_drawn():
    source = Path(__file__).resolve().parents[2] / "templates" / "includes" / "icon.html"
    drawn = re.findall(r'name == "([a-z-]+)"', source.read_text())
    assert documented_icons() == drawn


@pytest.mark.parametrize("name", documented_icons())
def test_each_icon_draws_and_stays_out_of_the_accessibility_tree(name):
    svg = render_to_string("includes/icon.html", {"name": name})
    assert re.search(r"<(path|circle|rect) ", svg), name
    assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg


def test_an_unknown_icon_draws_nothing():
    svg = render_to_string("includes/icon.html", {"name": "nope", "class": "extra"})
    assert 'class="icon extra"' in svg
    assert not re.search(r"<(path|circle|rect) ", svg)


@pytest.mark.django_db
def test_messages_are_a_status_region_with_one_item_per_message(tenant):
    request = RequestFactory().get("/", HTTP_HOST=host_of(tenant))
    request.tenant = tenant
    request.session = {}
    request._messages = FallbackStorage(request)
    messages.success(request, "Saved.")
    messages.error(request, "Refused.")
    html = render_to_string("base.html", {"messages": messages.get_messages(request)}, request)
    region = re.search(r'<div class="messages" role="status">(.*?)</div>', html, re.S).group(1)
    assert '<ul role="status"' not in html
    assert re.search(r'<li class="message message-success">.*?Saved\.', region, re.S)
    assert re.search(r'<li class="message message-error">.*?Refused\.', region, re.S)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_menu_folds_without_javascript_and_the_language_form_is_in_the_footer(
    tenant, client_as, role
):
    page = client_as(role).get("/").content.decode()
    menu = re.search(r'<details class="menu">(.*?)</details>', page, re.S).group(1)
    assert "<summary>" in menu
    assert ("Se déconnecter" in menu) == (role == "member")
    assert ("Se connecter" in menu) == (role == "anonymous")
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert 'class="language-form"' in footer and 'type="submit"' in footer
    assert 'class="language-form"' not in page.split("<main", 1)[0]
    assert "<script" not in page.split("</head>", 1)[1]  # no inline or late script

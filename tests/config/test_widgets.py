"""config.widgets write the same elements and attributes as Django's widget templates."""

from html.parser import HTMLParser

import pytest
from django import forms

from config import widgets


class _Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, tuple]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, tuple(sorted(attrs))))

    def handle_data(self, data):
        if data.strip():
            self.found.append(("text", data.strip()))


CHOICES = [("1", "Décès"), ("2", "Récidive <script>"), ("3", "Soins palliatifs")]


@pytest.mark.parametrize(
    ("django_widget", "ours", "value", "attrs"),
    [
        (forms.Textarea(attrs={"rows": 8}), widgets.Textarea(attrs={"rows": 8}), None,
         {"id": "id_body", "required": True, "maxlength": "20000"}),
        (forms.Textarea(), widgets.Textarea(), 'Mon "message" <b>', 
         {"id": "id_body", "aria-invalid": "true", "aria-describedby": "a b"}),
        (forms.CheckboxSelectMultiple(choices=CHOICES),
         widgets.CheckboxSelectMultiple(choices=CHOICES), ["2"], {"id": "id_warnings"}),
        (forms.CheckboxSelectMultiple(choices=CHOICES),
         widgets.CheckboxSelectMultiple(choices=CHOICES), [], {"aria-invalid": "true"}),
    ],
)  # fmt: skip
def test_same_markup_as_django(django_widget, ours, value, attrs):
    expected = django_widget.render("field", value, attrs=dict(attrs))
    written = ours.render("field", value, attrs=dict(attrs))
    assert _Elements(written).found == _Elements(expected).found
    assert "<script>" not in written

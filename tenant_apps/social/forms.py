from django import forms
from django.utils.translation import gettext_lazy as _

from core.markup import editor_attrs
from tenant_apps.forums import selectors as forums_selectors
from tenant_apps.forums.models import Reaction
from tenant_apps.social.models import Experience
from tenant_apps.social.services import BODY_MAX, COMMENT_MAX

CONFIRM_LABEL = _("I confirm I want to publish this information")


class _IdentifyingMixin:
    """The identifying-data confirmation appears only once screening found something (or
    when it was already ticked), as on the forums."""

    def _hide_confirmation(self) -> None:
        if not (self.is_bound and self.data.get("confirm_identifying")):  # type: ignore[attr-defined]
            del self.fields["confirm_identifying"]  # type: ignore[attr-defined]

    def ask_identifying(self) -> None:
        self.fields["confirm_identifying"] = forms.BooleanField(  # type: ignore[attr-defined]
            label=CONFIRM_LABEL, required=False
        )


class ExperienceForm(_IdentifyingMixin, forms.Form):
    body = forms.CharField(
        label=_("Your experience"),
        widget=forms.Textarea(attrs=editor_attrs(8)),
        max_length=BODY_MAX,
        help_text=_("Markdown: **bold**, *italic*, > quote. At most 5,000 characters."),
    )
    audience = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Experience.Audience.choices,
        widget=forms.RadioSelect,
        initial=Experience.Audience.NETWORK,
    )
    warnings = forms.ModelMultipleChoiceField(
        label=_("Content warnings"),
        queryset=forums_selectors.content_warnings(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the sensitive subjects your experience talks about."),
    )
    image = forms.ImageField(
        label=_("An image (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or GIF, 8 MB at most. Its hidden data (place, device) is removed."
        ),
    )
    image_alt = forms.CharField(
        label=_("What the image shows"),
        max_length=200,
        required=False,
        help_text=_("For members who cannot see it."),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    confirm_identifying = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args, editing: bool = False, has_image: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._hide_confirmation()
        if not (editing and has_image):
            del self.fields["remove_image"]


class CommentForm(_IdentifyingMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs=editor_attrs(4)),
        max_length=COMMENT_MAX,
    )
    confirm_identifying = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._hide_confirmation()


class ReactionForm(forms.Form):
    """A reaction button: ``press`` or ``release`` names the kind and the state asked for, so
    a double submit asks the same thing twice (as on the forums)."""

    press = forms.ChoiceField(choices=Reaction.Kind.choices, required=False)
    release = forms.ChoiceField(choices=Reaction.Kind.choices, required=False)

    def clean(self):
        data = super().clean()
        given = [name for name in ("press", "release") if data.get(name)]
        if len(given) != 1:
            raise forms.ValidationError(_("Choose one of the offered reactions."))
        data["chosen"] = data[given[0]]
        data["pressed"] = given[0] == "press"
        return data

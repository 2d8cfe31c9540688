from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.markup import editor_attrs
from tenant_apps.forums import selectors
from tenant_apps.forums.models import Group, Reaction
from tenant_apps.members.models import Space

CONFIRM_LABEL = _("I confirm I want to publish this information")


class _ContentWarningChoices(ModelChoiceIterator):
    """The network's content warnings from the cache (``content_warnings_listed``): Django's
    default reads them again, through a server-side cursor, on every page that shows the
    form. What is submitted is still checked against the database."""

    def __iter__(self):
        for warning in selectors.content_warnings_listed():
            yield self.choice(warning)


class _ContentWarningsField(forms.ModelMultipleChoiceField):
    iterator = _ContentWarningChoices
    widget = forms.CheckboxSelectMultiple


class _WritingForm(forms.Form):
    """A message with its content warnings; the identifying-data confirmation appears only
    once screening found something (or when it was already ticked)."""

    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs=editor_attrs(8)),
        max_length=20000,
        help_text=_("Markdown: **bold**, *italic*, > quote. Mention someone with @pseudonym."),
    )
    warnings = _ContentWarningsField(
        label=_("Content warnings"),
        queryset=selectors.content_warnings(),
        required=False,
        help_text=_("Tick the sensitive subjects your message talks about."),
    )
    confirm_identifying = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.is_bound and self.data.get("confirm_identifying")):
            del self.fields["confirm_identifying"]

    def ask_identifying(self) -> None:
        """Show the confirmation checkbox (after screening found identifying data)."""
        self.fields["confirm_identifying"] = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class TopicForm(_WritingForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "body", "warnings", "confirm_identifying"]


class ReplyForm(_WritingForm):
    pass


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs=editor_attrs(8)), max_length=20000
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Optional; shown in the message's history."),
    )


class ReactionForm(forms.Form):
    """A reaction button: ``press`` or ``release`` names the kind and the state asked for, so
    a double submit asks the same thing twice; a bare ``kind`` toggles (older pages)."""

    press = forms.ChoiceField(choices=Reaction.Kind.choices, required=False)
    release = forms.ChoiceField(choices=Reaction.Kind.choices, required=False)
    kind = forms.ChoiceField(choices=Reaction.Kind.choices, required=False)

    def clean(self):
        data = super().clean()
        given = [name for name in ("press", "release", "kind") if data.get(name)]
        if len(given) != 1:
            raise forms.ValidationError(_("Choose one of the offered reactions."))
        name = given[0]
        data["chosen"] = data[name]
        data["pressed"] = {"press": True, "release": False, "kind": None}[name]
        return data


class ReadingPreferenceForm(forms.Form):
    collapsed = forms.ModelMultipleChoiceField(
        label=_("Fold the messages about"),
        queryset=selectors.content_warnings(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Messages tagged with these subjects are shown folded, behind a warning you open "
            "when you choose to."
        ),
    )


class GroupProposeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    space = forms.ModelChoiceField(label=_("Space"), queryset=None, empty_label=None)
    access = forms.ChoiceField(
        label=_("Who can join"), choices=Group.Access.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(pk__in=[s.pk for s in spaces])


class GroupRefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the refusal"), max_length=300)

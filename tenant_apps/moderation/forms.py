from django import forms
from django.utils.translation import gettext_lazy as _

from core.markup import editor_attrs
from tenant_apps.forums.models import Category
from tenant_apps.members.models import Member
from tenant_apps.moderation.models import Report, WatchedWord


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this message?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    detail = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=500,
        help_text=_("Optional, unless you chose “Something else”. Only moderators read it."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
    )


class ReasonForm(forms.Form):
    """The reason a moderator gives the author when hiding a post or warning a member."""

    reason = forms.CharField(
        label=_("Reason given to the author"),
        max_length=300,
        error_messages={"required": _("Give the author a reason.")},
        help_text=_("The author reads it: stick to the facts and the charter."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )


class WarnForm(ReasonForm):
    reason = forms.CharField(
        label=_("Warning"),
        max_length=300,
        error_messages={"required": _("Give the member a reason.")},
        help_text=_("The member reads it in their notifications."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 300}),
    )


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs=editor_attrs(12, maxlength=20000)),
        error_messages={"required": _("The message cannot be empty.")},
    )
    reason = forms.CharField(
        label=_("Reason given to the author"),
        max_length=300,
        error_messages={"required": _("Give the author a reason.")},
        help_text=_("Shown in the message's history and sent to the author."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )


class TopicMoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Category.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose a forum."), "invalid_choice": _("Choose a forum.")},
    )

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            categories if categories is not None else Category.objects.none()
        )
        self.fields["category"].label_from_instance = lambda c: f"{c.space.name} › {c.name}"


class WatchedWordForm(forms.Form):
    phrase = forms.CharField(
        label=_("Word or phrase"),
        max_length=100,
        error_messages={"required": _("Enter a word or phrase.")},
        help_text=_("Whole words, ignoring case and accents."),
    )
    action = forms.ChoiceField(
        label=_("What happens to a post that contains it"),
        choices=WatchedWord.Action.choices,
        widget=forms.RadioSelect,
        initial=WatchedWord.Action.HOLD,
    )


class ContentWarningForm(forms.Form):
    name = forms.CharField(
        label=_("Subject"),
        max_length=60,
        error_messages={"required": _("Enter a subject.")},
        help_text=_("For example: décès, récidive, soins palliatifs."),
    )


class CrisisTermForm(forms.Form):
    phrase = forms.CharField(
        label=_("Word or phrase"),
        max_length=100,
        error_messages={"required": _("Enter a word or phrase.")},
        help_text=_(
            "A post containing it is put first in the queue and on-duty moderators are emailed."
        ),
    )


class PremoderationForm(forms.Form):
    premoderated_posts = forms.IntegerField(
        label=_("Posts held for approval for a new member"),
        min_value=0,
        max_value=100,
        help_text=_("A new member's first posts wait for a moderator. 0 turns this off."),
    )


class OnDutyForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Moderator"),
        queryset=Member.objects.none(),
        error_messages={
            "required": _("Choose a moderator."),
            "invalid_choice": _("Choose a moderator."),
        },
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = staff if staff is not None else Member.objects.none()
        self.fields["member"].label_from_instance = lambda m: m.display_name

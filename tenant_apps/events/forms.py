import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.events.models import Event
from tenant_apps.events.services import ChapterData, SpeakerData
from tenant_apps.members.models import Member, Space


class DescribedMixin:
    """Point each control at its help text (aria-describedby) and mark invalid ones."""

    def describe(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{bound.auto_id}_helptext"
            if self.is_bound and name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"


def _active_member(pseudonym: str) -> Member | None:
    return (
        Member.objects.select_related("user")
        .filter(user__username__iexact=pseudonym.strip(), status=Member.Status.ACTIVE)
        .first()
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(DescribedMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    starts_at = forms.DateTimeField(
        label=_("Start"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Date and time, in the network's time zone."),
    )
    ends_at = forms.DateTimeField(
        label=_("End"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Date and time, in the network's time zone."),
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    join_url = forms.URLField(
        label=_("Link to join"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Registrants see it from 15 minutes before the start."),
    )
    place = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        help_text=_("Where to meet, for an event in person."),
    )
    accessibility = forms.CharField(
        label=_("Accessibility notes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free access, seats along the way, toilets, distance and pace…"),
    )
    space = forms.ModelChoiceField(
        label=_("Audience"),
        queryset=Space.objects.none(),
        required=False,
        empty_label=_("Everyone in the network"),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no limit. When it is full, members join a waiting list."),
    )
    cover = forms.ImageField(
        label=_("Cover image"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF. Its metadata (place, camera) is removed."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Event.Status.DRAFT, _("Draft")), (Event.Status.PUBLISHED, _("Published"))],
        initial=Event.Status.DRAFT,
    )
    training = forms.BooleanField(
        label=_("Training for professionals"),
        required=False,
        help_text=_("Listed under Training (/formations/) for the network's professionals."),
    )
    in_directory = forms.BooleanField(
        label=_("Show in the platform directory"),
        required=False,
        help_text=_(
            "Once published, its title, dates, place and description are listed on the "
            "platform for everyone, with a link here. Never for an event kept to one space."
        ),
    )

    def __init__(self, *args, spaces=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(pk__in=[s.pk for s in spaces])
        if not editing:
            del self.fields["remove_cover"]
        self.describe()

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return {
            "title": event.title, "format": event.format, "description": event.description,
            "starts_at": event.starts_at, "ends_at": event.ends_at, "online": event.online,
            "join_url": event.join_url, "place": event.place,
            "accessibility": event.accessibility, "space": event.space_id,
            "capacity": event.capacity, "status": event.status,
            "in_directory": event.in_directory, "training": event.training,
        }  # fmt: skip


class SpeakerForm(DescribedMixin, forms.Form):
    name = forms.CharField(label=_("Speaker's name"), max_length=150, required=False)
    role = forms.CharField(
        label=_("Role"),
        max_length=200,
        required=False,
        help_text=_("For example: pulmonologist at the Lyon hospital."),
    )
    pseudonym = forms.CharField(
        label=_("Member's pseudonym (optional)"),
        max_length=150,
        required=False,
        help_text=_("A verified professional of the network: links to their profile."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()

    def clean_pseudonym(self) -> Member | None:
        pseudonym = self.cleaned_data["pseudonym"].strip()
        if not pseudonym:
            return None
        member = _active_member(pseudonym)
        if member is None:
            raise forms.ValidationError(_("No active member has this pseudonym."))
        if not member.verified_professional:
            raise forms.ValidationError(_("Only a verified professional is linked as a speaker."))
        return member

    def clean(self):
        data = super().clean()
        if not data.get("name", "").strip() and (data.get("role") or data.get("pseudonym")):
            self.add_error("name", _("Each speaker needs a name."))
        return data

    def data_or_none(self) -> SpeakerData | None:
        if self.cleaned_data.get("DELETE") or not self.cleaned_data.get("name", "").strip():
            return None
        return SpeakerData(
            name=self.cleaned_data["name"],
            role=self.cleaned_data.get("role", ""),
            member=self.cleaned_data.get("pseudonym"),
        )


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=2, can_delete=True, max_num=12)


def speakers_initial(speakers) -> list[dict]:
    return [
        {
            "name": speaker.name,
            "role": speaker.role,
            "pseudonym": speaker.member.user.username
            if speaker.member and speaker.member.user
            else "",
        }
        for speaker in speakers
    ]


class OrganizerForm(DescribedMixin, forms.Form):
    pseudonym = forms.CharField(label=_("Member's pseudonym"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()

    def clean_pseudonym(self) -> Member:
        member = _active_member(self.cleaned_data["pseudonym"])
        if member is None:
            raise forms.ValidationError(_("No active member has this pseudonym."))
        return member


class MonthForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)


class QuestionForm(DescribedMixin, forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The speakers answer the questions with the most votes first."),
    )
    anonymous = forms.BooleanField(
        label=_("Ask anonymously (other members do not see my pseudonym)"), required=False
    )
    confirm_identifying = forms.BooleanField(
        label=_("I confirm: my question may contain personal details"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()


CHAPTER_LINE = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s+(.+?)((?:\s+#\d+)*)\s*$")


class ReplayForm(DescribedMixin, forms.Form):
    replay_url = forms.URLField(
        label=_("Address of the replay"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The video's address, or the link of an uploaded file."),
    )
    chapters = forms.CharField(
        label=_("Chapters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One chapter a line: its start, its title, then the numbers of the questions it "
            "answers. For example: 0:00 Introduction, then 12:30 Fatigue #14 #17."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()

    def clean_chapters(self) -> list[ChapterData]:
        chapters = []
        for number, line in enumerate(self.cleaned_data["chapters"].splitlines(), start=1):
            if not line.strip():
                continue
            found = CHAPTER_LINE.match(line)
            if (
                found is None
                or int(found.group(3)) > 59
                or (found.group(1) and int(found.group(2)) > 59)
            ):
                raise forms.ValidationError(
                    _("Line %(number)s: write the start as 12:30 or 1:02:30, then the title.")
                    % {"number": number}
                )
            hours, minutes, seconds = (int(found.group(i) or 0) for i in (1, 2, 3))
            chapters.append(
                ChapterData(
                    start=hours * 3600 + minutes * 60 + seconds,
                    title=found.group(4),
                    question_ids=tuple(int(n) for n in re.findall(r"#(\d+)", found.group(5))),
                )
            )
        return chapters

    @staticmethod
    def chapters_text(chapters) -> str:
        return "\n".join(
            " ".join(
                [chapter.timestamp, chapter.title, *(f"#{q.pk}" for q in chapter.questions.all())]
            )
            for chapter in chapters
        )

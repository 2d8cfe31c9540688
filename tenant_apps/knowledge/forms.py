from django import forms
from django.utils.translation import gettext_lazy as _

from core.markup import editor_attrs
from tenant_apps.knowledge.models import Article, Category, EditorialRole, Question, Source
from tenant_apps.knowledge.services import SourceData
from tenant_apps.members.models import Member, Space


class DescribedMixin:
    """Point each control at its help text and errors (aria-describedby), as the members'
    forms do through _form_fields.html."""

    def describe(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            if self.is_bound and name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"


class ArticleForm(DescribedMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences shown in lists and search results."),
    )
    body = forms.CharField(
        label=_("Body"),
        max_length=60000,
        widget=forms.Textarea(attrs=editor_attrs(18)),
        help_text=_("Markdown: **bold**, *italic*, lists, links, ### headings."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    space = forms.ModelChoiceField(
        label=_("Audience"),
        queryset=Space.objects.all(),
        required=False,
        empty_label=_("Everyone in the network"),
    )
    training = forms.BooleanField(
        label=_("Training for professionals"),
        required=False,
        help_text=_("Listed under Training (/formations/) for the network's professionals."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        return {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "categories": list(article.categories.all()),
            "tags": ", ".join(tag.name for tag in article.tags.all()),
            "space": article.space,
            "training": article.training,
        }

    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]


class SourceForm(DescribedMixin, forms.ModelForm):
    url = forms.URLField(label=_("address (URL)"), max_length=500, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["title", "publisher", "url", "published_on"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"publisher": _("For example HAS, INCa, or a journal.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()

    def data_or_none(self) -> SourceData | None:
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        return SourceData(**{name: data[name] for name in SourceForm.Meta.fields})


SourceFormSet = forms.formset_factory(SourceForm, extra=1, can_delete=True, max_num=30)


def sources_initial(article: Article) -> list[dict]:
    return [
        {name: getattr(source, name) for name in SourceForm.Meta.fields}
        for source in article.sources.all()
    ]


class PublishForm(DescribedMixin, forms.Form):
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for one year from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()


class QuestionForm(DescribedMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "category"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "text": _(
                "The association's editors read it; your pseudonym is kept so they can tell "
                "you when an article answers it. Do not write your name, phone or email."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = True
        self.fields["category"].required = False
        self.fields["category"].empty_label = _("I don't know")
        self.describe()


class AnswerForm(DescribedMixin, forms.Form):
    article = forms.ModelChoiceField(label=_("Article that answers it"), queryset=Article.objects)

    def __init__(self, *args, articles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = articles
        self.describe()


class ArticleCardForm(DescribedMixin, forms.Form):
    article = forms.ModelChoiceField(label=_("Article"), queryset=Article.objects)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, articles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = articles
        self.describe()


class EditorialRoleForm(DescribedMixin, forms.Form):
    pseudonym = forms.CharField(label=_("Member's pseudonym"), max_length=150)
    kind = forms.ChoiceField(label=_("Role"), choices=EditorialRole.Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()

    def clean_pseudonym(self) -> Member:
        member = (
            Member.objects.select_related("user")
            .filter(
                user__username__iexact=self.cleaned_data["pseudonym"].strip(),
                status=Member.Status.ACTIVE,
            )
            .first()
        )
        if member is None:
            raise forms.ValidationError(_("No active member has this pseudonym."))
        return member


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("article", _("Articles")),
            ("topic", _("Forum topics")),
            ("event", _("Events")),
        ],
    )
    category = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Category.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

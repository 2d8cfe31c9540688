"""Pages of training, prevention campaigns and clinical trials. Who reads and edits:
``access``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import geo
from core.http import posted
from tenant_apps.members.permissions import member_required
from tenant_apps.members.views import add_errors
from tenant_apps.pro.research import access, selectors, services
from tenant_apps.pro.research.forms import CampaignForm, TrialFilterForm, TrialForm


@member_required
def training(request: HttpRequest) -> HttpResponse:
    member = access.training_reader_or_404(request.member)
    return render(request, "pro/research/training.html", {"training": selectors.training(member)})


@member_required
def campaigns(request: HttpRequest) -> HttpResponse:
    member = access.reader_or_404(request.member)
    return render(
        request,
        "pro/research/campaigns.html",
        {"campaigns": selectors.campaigns(member), "can_edit": access.can_edit(member)},
    )


@member_required
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    member = access.reader_or_404(request.member)
    found = access.campaign_or_404(member, slug)
    return render(
        request,
        "pro/research/campaign.html",
        {"page": selectors.campaign_page(member, found), "can_edit": access.can_edit(member)},
    )


def _campaign_form(request: HttpRequest, member, initial=None) -> CampaignForm:
    return CampaignForm(
        posted(request),
        initial=initial,
        events=access.linkable_events(member),
        articles=access.linkable_articles(member),
    )


@member_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    member = access.editor_or_404(request.member)
    form = _campaign_form(request, member)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.campaign_create(actor=member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaigns:campaign", created.slug)
    return render(request, "pro/research/campaign_form.html", {"form": form, "campaign": None})


@member_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    member = access.editor_or_404(request.member)
    found = access.campaign_or_404(member, slug)
    form = _campaign_form(request, member, initial=CampaignForm.initial_of(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=member, campaign=found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaigns:campaign", found.slug)
    return render(request, "pro/research/campaign_form.html", {"form": form, "campaign": found})


def _cursor(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


@member_required
def trials(request: HttpRequest) -> HttpResponse:
    member = access.reader_or_404(request.member)
    filters = selectors.filters_from(request.GET)
    page = selectors.trial_page(member, filters, after=_cursor(request.GET.get("apres", "")))
    return render(
        request,
        "pro/research/trials.html",
        {
            "form": TrialFilterForm(request.GET or None),
            "page": page,
            "filters": filters,
            "query": filters.query(),
            "first_page": "apres" not in request.GET,
            "can_edit": access.can_edit(member),
        },
    )


@member_required
def trial(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.reader_or_404(request.member)
    found = access.trial_or_404(member, pk)
    return render(
        request,
        "pro/research/trial.html",
        {
            "trial": found,
            "centres": [
                (centre, geo.REGIONS.get(centre.region, (centre.region,))[0])
                for centre in found.centres.order_by("region", "name", "id")
            ],
            "can_edit": access.can_edit(member),
        },
    )


def _trial_fields(form: TrialForm) -> tuple[dict, list[dict[str, str]]]:
    fields = dict(form.cleaned_data)
    centres = services.centres_parse(fields.pop("centres"))
    return fields, centres


@member_required
def trial_create(request: HttpRequest) -> HttpResponse:
    member = access.editor_or_404(request.member)
    form = TrialForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            fields, centres = _trial_fields(form)
            created = services.trial_create(actor=member, centres=centres, **fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The trial is saved."))
            return redirect("trials:trial", created.pk)
    return render(request, "pro/research/trial_form.html", {"form": form, "trial": None})


@member_required
def trial_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.editor_or_404(request.member)
    found = access.trial_or_404(member, pk)
    form = TrialForm(posted(request), initial=TrialForm.initial_of(found))
    if request.method == "POST" and form.is_valid():
        try:
            fields, centres = _trial_fields(form)
            services.trial_update(actor=member, trial=found, centres=centres, **fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The trial is saved."))
            return redirect("trials:trial", found.pk)
    return render(request, "pro/research/trial_form.html", {"form": form, "trial": found})

"""The operators' pages of the directory: the review queue of proposals (publish, correct
then publish, refuse with a reason) and the resources for associations.

Operators are the platform's staff with a second factor (the Django admin's rule; the
middleware already sends staff without one to set it up). Anyone else gets the 404 of a
page that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import posted
from shared_apps.accounts.operators import operator_or_404
from shared_apps.directory import forms, services
from shared_apps.directory.models import Resource, Review

# How many proposals of each kind the queue shows at once, oldest first.
QUEUE_SIZE = 100


def queue(request: HttpRequest) -> HttpResponse:
    """The proposals waiting for a decision, oldest first, per kind."""
    operator_or_404(request)
    waiting = [
        (
            kind,
            list(
                model.objects.filter(review=Review.PROPOSED).order_by("created", "pk")[:QUEUE_SIZE]
            ),
        )
        for kind, model in services.KINDS.items()
    ]
    return render(request, "directory/operator_queue.html", {"waiting": waiting})


def _proposal(kind: str, pk: int):
    model = services.KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk, review=Review.PROPOSED)


def review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One proposal: publish it as it is or corrected, or refuse it with a reason."""
    operator = operator_or_404(request)
    listing = _proposal(kind, pk)
    edit = forms.review_form(kind, instance=listing)
    refusal = forms.RefusalForm()
    if request.method == "POST":
        if request.POST.get("action") == "refuse":
            refusal = forms.RefusalForm(request.POST)
            if refusal.is_valid():
                services.listing_refuse(
                    listing=listing, operator=operator, reason=refusal.cleaned_data["reason"]
                )
                messages.success(request, _("The proposal is refused; its author is told why."))
                return redirect("directory_contrib:queue")
        else:
            edit = forms.review_form(kind, request.POST, instance=listing)
            if edit.is_valid():
                try:
                    services.listing_publish(
                        listing=listing, operator=operator, values=forms.listing_values(edit)
                    )
                except ValidationError as error:
                    edit.add_error(None, error)
                else:
                    messages.success(request, _("The listing is published; its author is told."))
                    return redirect("directory_contrib:queue")
            listing.refresh_from_db()
    return render(
        request,
        "directory/operator_review.html",
        {"listing": listing, "kind": kind, "edit": edit, "refusal": refusal},
    )


def resources(request: HttpRequest) -> HttpResponse:
    operator_or_404(request)
    rows = Resource.objects.order_by("-updated", "-pk")[:200]
    return render(request, "directory/operator_resources.html", {"resources": rows})


def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Write or rewrite a resource for associations, in Markdown."""
    operator = operator_or_404(request)
    resource = get_object_or_404(Resource, pk=pk) if pk is not None else None
    form = forms.ResourceForm(posted(request), instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.resource_save(
                operator=operator,
                resource=resource,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                body=form.cleaned_data["body"],
                themes=form.cleaned_data["themes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("directory_contrib:resource_edit", pk=saved.pk)
    if resource is not None and request.method == "POST":
        resource.refresh_from_db()
    return render(request, "directory/operator_resource.html", {"resource": resource, "form": form})


@require_POST
def resource_publish(request: HttpRequest, pk: int) -> HttpResponse:
    operator = operator_or_404(request)
    resource = get_object_or_404(Resource, pk=pk)
    published = request.POST.get("published") == "1"
    services.resource_publish(resource=resource, operator=operator, published=published)
    if published:
        messages.success(request, _("The resource is published."))
    else:
        messages.success(request, _("The resource is no longer published."))
    return redirect("directory_contrib:resource_edit", pk=resource.pk)

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tenant_apps.members import selectors, services
from tenant_apps.members.forms import InvitationAcceptForm
from tenant_apps.moderation.selectors import crisis_resources_list


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "members/home.html",
        {
            "spaces": selectors.spaces_list(),
            "charter": selectors.charter_current(),
            "crisis_resources": crisis_resources_list(),
        },
    )


def charter(request: HttpRequest) -> HttpResponse:
    return render(request, "members/charter.html", {"charter": selectors.charter_current()})


def invitation(request: HttpRequest, key: str) -> HttpResponse:
    pending = selectors.access_invitation(key)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                key=key,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(request, "members/invitation.html", {"form": form, "invitation": pending})


def _add_errors(form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)

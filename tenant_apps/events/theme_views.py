"""The webinar themes page (/evenements/themes/): what members asked the association, by
theme, and a webinar written from a theme in one step. For admins and organizers (those who
write events); anyone else gets 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.events import services, theme_selectors
from tenant_apps.members.permissions import permission_required

writer = permission_required("events.event:write")


@writer
def themes(request: HttpRequest) -> HttpResponse:
    return render(
        request, "events/themes.html", {"themes": theme_selectors.themes_for(request.member)}
    )


@writer
@require_POST
def theme_webinar(request: HttpRequest, pk: int) -> HttpResponse:
    category = theme_selectors.access_theme(request.member, pk)
    event = services.webinar_from_theme(category=category, by=request.member)
    messages.success(
        request,
        _(
            "A draft webinar is written. Complete it and publish it: the members who asked "
            "on this theme will then be told."
        ),
    )
    return redirect("events:edit", pk=event.pk)

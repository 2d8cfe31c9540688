from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tenant_apps.members.permissions import member_required
from tenant_apps.notifications import presentation, selectors, services
from tenant_apps.notifications.forms import PreferencesForm
from tenant_apps.notifications.tokens import access_unsubscribe

PER_PAGE = 25


def _cursor(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _item(notification) -> dict[str, object]:
    return {
        "notification": notification,
        "sentence": presentation.sentence(notification),
        "reason": presentation.reason(notification),
    }


def _list_context(member, before: int | None) -> dict[str, object]:
    rows, next_cursor = selectors.notifications_page(member, before=before, size=PER_PAGE)
    return {
        "items": [_item(n) for n in rows],
        "next_cursor": next_cursor,
        "first_page": before is None,
    }


def _changed(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    """htmx's answer to a change of the unread count: the part that changed, the header's
    counts (out of band) and what happened, said to screen readers."""
    context["unread_notifications"] = selectors.unread_count(request.member)
    return render(request, template, context)


@member_required
def notification_list(request: HttpRequest) -> HttpResponse:
    before = _cursor(request.GET.get("avant"))
    return render(request, "notifications/list.html", _list_context(request.member, before))


@member_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.access_notification(request.member, pk)
    services.notification_open(notification=notification)
    # Only a path on this site: a stored address never sends a member elsewhere.
    if presentation.is_local_path(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@member_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read without opening what it is about."""
    notification = selectors.access_notification(request.member, pk)
    services.notification_open(notification=notification)
    said = _("Notification marked as read.")
    if request.htmx:
        return _changed(
            request, "notifications/_item_read.html", {"item": _item(notification), "said": said}
        )
    messages.success(request, said)
    return redirect(f"{reverse('notifications:list')}#notification-{notification.pk}")


@member_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(member=request.member)
    said = _("All your notifications are marked as read.")
    if request.htmx:
        context = _list_context(request.member, _cursor(request.POST.get("avant")))
        return _changed(request, "notifications/_list_read.html", {**context, "said": said})
    messages.success(request, said)
    return redirect("notifications:list")


@member_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count alone, for a page that asks it again (hx-get)."""
    where = "nav" if request.GET.get("ou") == "nav" else "menu"
    return render(
        request,
        "notifications/_unread_badge.html",
        {"where": where, "unread_notifications": selectors.unread_count(request.member)},
    )


@member_required
def preferences(request: HttpRequest) -> HttpResponse:
    # Bound on every POST, even an empty one, so a missing choice is an error.
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"frequency": selectors.frequency_of(request.member)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_settings_update(
                member=request.member, frequency=form.cleaned_data["frequency"]
            )
        except ValidationError as error:
            form.add_error("frequency", error.messages)
        else:
            messages.success(request, _("Your email preferences are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "can_be_emailed": selectors.can_be_emailed(request.member)},
    )


# The token is the credential: mail providers' one-click POST (RFC 8058) has neither a
# session nor a CSRF token. Unsubscribing is the only thing it can do.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    member = access_unsubscribe(token)
    if request.method == "POST":
        services.notifications_unsubscribe(member=member)
        return render(request, "notifications/unsubscribed.html", {"done": True})
    return render(request, "notifications/unsubscribed.html", {"done": False})

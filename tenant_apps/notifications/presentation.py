"""How a notification reads, by kind: one translated sentence, and the reason apart."""

from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tenant_apps.notifications.models import Notification

Kind = Notification.Kind


def sentence(notification: Notification) -> str:
    """What happened, in one sentence: who (a pseudonym) and about what (a title)."""
    actor = notification.actor
    named = actor is not None and actor.user_id is not None
    values = {"actor": actor.display_name if named else "", "subject": notification.subject}
    if notification.kind == Kind.MENTION:
        if named:
            return _("@%(actor)s mentioned you in “%(subject)s”") % values
        return _("A member mentioned you in “%(subject)s”") % values
    if notification.kind == Kind.REPLY:
        if named:
            return _("@%(actor)s replied in “%(subject)s”") % values
        return _("A member replied in “%(subject)s”") % values
    if notification.kind == Kind.MODERATION:
        # The moderation services give a reason when they hide or edit a message, none when
        # they publish one (approved, or restored).
        if notification.detail:
            return (
                _("A moderator hid or edited your message in “%(subject)s”, and says why") % values
            )
        return _("Your message in “%(subject)s” is published") % values
    if notification.kind == Kind.GROUP:
        return _("A decision was made about the group “%(subject)s”") % values
    if notification.kind == Kind.WARNING:
        return _("The moderators sent you a warning")
    if notification.kind == Kind.ANSWER:
        return _("The association answered your question with “%(subject)s”") % values
    if notification.kind == Kind.SUPPORT:
        return (
            _("The moderation team read your message in “%(subject)s” and is thinking of you")
            % values
        )
    if notification.kind == Kind.FOLLOW:
        if named:
            return _("@%(actor)s now follows you") % values
        return _("A member now follows you")
    if notification.kind in (Kind.PROFESSIONAL, Kind.RCP):
        return notification.subject
    return _("News about “%(subject)s”") % values


def reason(notification: Notification) -> str:
    """The reason or outcome given with a decision; shown in the site, never emailed."""
    # Group decisions carry a whole sentence ("Your group was approved.") or a reason.
    if notification.detail and notification.kind == Kind.RCP:
        return _("Missing: %(detail)s") % {"detail": notification.detail}
    if notification.detail and notification.kind in (
        Kind.MODERATION,
        Kind.WARNING,
        Kind.PROFESSIONAL,
    ):
        return _("Reason: %(detail)s") % {"detail": notification.detail}
    if notification.detail and notification.kind == Kind.SUPPORT:
        return _(
            "You are not on your own. If you need to talk to someone now, day or night: "
            "%(lines)s. You can also write to us here at any time."
        ) % {"lines": notification.detail}
    return notification.detail


def is_local_path(url: str) -> bool:
    """A path on this same site: the only kind of address a notification may send to."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )

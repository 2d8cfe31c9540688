"""How the forums' entries (groups proposed, decided, moderated) read in the admins' audit
log. Their codes predate the "<app>." prefix and stay as stored."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "group_approve": _("Group approved"),
    "group_open_self": _("Local group opened without approval (network setting)"),
    "group_refuse": _("Group refused"),
    "group_request_accept": _("Request to join a group accepted"),
    "group_request_decline": _("Request to join a group declined"),
    "group_moderator_name": _("Group moderator named"),
}

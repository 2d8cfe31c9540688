"""How event actions read in the admins' audit log (/association/journal/)."""

from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "events.organizer_grant": gettext_lazy("Event organizer designated"),
    "events.organizer_revoke": gettext_lazy("Event organizer role taken back"),
    "events.event_cancel": gettext_lazy("Event cancelled"),
}

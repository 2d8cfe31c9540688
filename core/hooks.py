"""Functions tenant apps offer to the lower layers by convention, found without importing.

Provisioning seeds each app through ``<app>.seeds.seed_defaults``; a member's data export and
erasure reach each app's content through ``<app>.personal_data.export`` / ``erase``; the
audit log reads each app's ``<app>.audit.ACTION_LABELS`` and ``describe``. The lower
app (members, provisioning) never imports the higher ones (forums, knowledge).
"""

import importlib
import importlib.util
from typing import Any

from django.conf import settings


def tenant_app_hooks(module: str, name: str) -> list[tuple[str, Any]]:
    """(app label, attribute) for each tenant app whose ``<module>.<name>`` exists, in order."""
    found = []
    for app in settings.TENANT_APPS:
        if not app.startswith("tenant_apps."):
            continue
        path = f"{app}.{module}"
        if importlib.util.find_spec(path) is None:
            continue
        function = getattr(importlib.import_module(path), name, None)
        if function is not None:
            found.append((app.rsplit(".", 1)[-1], function))
    return found

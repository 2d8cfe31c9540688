"""Who may see a network's subscription: its admins (``members.network:configure``).

The members app, which holds the permission helper, is above billing in the layers: its
decorator is found through ``core.hooks`` (``tenant_apps.members.permissions``), as the
lower layers reach every app. Refusals are the members' own: 404, or the sign-in page for a
signed-out visitor.
"""

from collections.abc import Callable

from core.hooks import tenant_app_hooks

CONFIGURE = "members.network:configure"


def network_admin_required(view: Callable) -> Callable:
    """View decorator: the network's admins only (sets ``request.member``)."""
    [(_app, permission_required)] = tenant_app_hooks("permissions", "permission_required")
    return permission_required(CONFIGURE)(view)

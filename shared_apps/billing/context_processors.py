from django.http import HttpRequest

from shared_apps.billing import limits, selectors


def billing(request: HttpRequest) -> dict[str, object]:
    """White label (a paid plan hides the platform's mark) and the admins' billing banner,
    read from what the host middleware loaded: no query. ``billing_members`` and
    ``billing_storage`` are counted only when a template asks (the admin pages), and cached."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return {}
    return {
        "white_label": limits.white_label(tenant),
        "billing_notice": selectors.admin_notice(tenant),
        "billing_members": lambda: selectors.Usage(*limits.member_limit_status(tenant)),
        "billing_storage": lambda: selectors.storage_usage(tenant),
    }

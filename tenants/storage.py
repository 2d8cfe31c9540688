import os

from django.conf import settings
from django_tenants.files.storage import TenantFileSystemStorage


class TenantStorage(TenantFileSystemStorage):
    """Files under MEDIA_ROOT/<schema_name>/, served at /media/ on the tenant's own host.

    The host already names the tenant, so URLs do not repeat the schema name.
    """

    @property
    def relative_media_root(self) -> str:
        # Not cached, unlike the parent's: a changed MEDIA_ROOT must take effect.
        return os.path.join(settings.MEDIA_ROOT, settings.MULTITENANT_RELATIVE_MEDIA_ROOT)

    @property
    def base_url(self) -> str:
        return settings.MEDIA_URL

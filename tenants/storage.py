from django.conf import settings
from django_tenants.files.storage import TenantFileSystemStorage


class TenantStorage(TenantFileSystemStorage):
    """Files under MEDIA_ROOT/<schema_name>/, served at /media/ on the tenant's own host.

    The host already names the tenant, so URLs do not repeat the schema name.
    """

    @property
    def base_url(self) -> str:
        return settings.MEDIA_URL

from django.contrib import admin

from tenants.models import AuditEntry, Branding, Domain, Export, Organization, Tenant


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ("domain", "is_primary", "verified", "verified_at")


class BrandingInline(admin.StackedInline):
    model = Branding
    can_delete = False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created")
    search_fields = ("name", "slug")


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "organization", "status", "listed", "created")
    list_filter = ("status", "listed")
    search_fields = ("name", "slug")
    readonly_fields = ("schema_name", "slug", "status", "created")
    inlines = [BrandingInline, DomainInline]

    # Networks are created, suspended and deleted through provisioning services only
    # (`manage.py tenants …`), which clone schemas and keep the audit trail.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "tenant_slug")
    list_filter = ("action",)
    search_fields = ("tenant_slug",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ("tenant", "created", "size_bytes", "path")

    def has_add_permission(self, request):
        return False

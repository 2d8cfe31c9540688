"""The operators' admin on the platform's domain, in the operators' language.

Our models name themselves and their fields for translation. Two third-party apps shown
here do not (allauth's second factors, procrastinate's jobs): their names are given below,
at run time, in ways that leave their migrations alone. Only ``_meta.verbose_name`` is set,
never ``_meta.original_attrs``, which is what makemigrations reads; procrastinate's models
are unmanaged, whose fields makemigrations does not compare; allauth's fields get their
labels from the admin (columns, filters, form) rather than from the model.
"""

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import (
    ProcrastinateEvent,
    ProcrastinateJob,
    ProcrastinateWorker,
)

from tenants.models import (
    AUDIT_ACTION_LABELS,
    AuditEntry,
    Branding,
    Domain,
    Export,
    Organization,
    Tenant,
)

admin.site.site_header = _("Platform administration")
admin.site.site_title = _("Platform administration")
admin.site.index_title = _("Networks, accounts and jobs")


def titled(filter_class: type[admin.ListFilter], title) -> type[admin.ListFilter]:
    """A list filter of a field, under a title of ours."""

    class Titled(filter_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class DomainForm(forms.ModelForm):
    """A domain's verification time is the moment an operator ticks "verified" here."""

    class Meta:
        model = Domain
        fields = ("domain", "is_primary", "verified")

    def save(self, commit=True):
        if "verified" in self.changed_data:
            self.instance.verified_at = timezone.now() if self.instance.verified else None
        return super().save(commit)


class DomainInline(admin.StackedInline):
    """Stacked, so that each domain's fields have their own labels (a tabular inline's
    cells have none); the verification time is shown, not typed."""

    model = Domain
    form = DomainForm
    extra = 0
    fields = ("domain", "is_primary", "verified", "verified_at")
    readonly_fields = ("verified_at",)


class BrandingInline(admin.StackedInline):
    model = Branding
    can_delete = False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created")
    search_fields = ("name", "slug")
    readonly_fields = ("created",)


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


class AuditActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(AUDIT_ACTION_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action_label", "tenant_slug")
    list_filter = (AuditActionFilter,)
    search_fields = ("tenant_slug",)

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, entry: AuditEntry) -> str:
        return entry.action_label

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


# --- Third-party apps ------------------------------------------------------------------------

apps.get_app_config("mfa").verbose_name = _("Two-step sign-in")
Authenticator._meta.verbose_name = _("authenticator")
Authenticator._meta.verbose_name_plural = _("authenticators")


class AuthenticatorForm(forms.ModelForm):
    class Meta:
        model = Authenticator
        fields = ("user", "type", "data")
        labels = {"user": _("account"), "type": _("type"), "data": _("data")}


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AllauthAuthenticatorAdmin):
    form = AuthenticatorForm
    list_display = ("account", "kind", "created", "last_used")
    # Shown, not typed: Django's split date and time inputs have no label of their own.
    readonly_fields = ("created", "last_used")
    list_filter = (
        ("type", titled(admin.ChoicesFieldListFilter, _("type"))),
        ("created_at", titled(admin.DateFieldListFilter, _("created"))),
        ("last_used_at", titled(admin.DateFieldListFilter, _("last used"))),
    )

    @admin.display(description=_("account"), ordering="user")
    def account(self, authenticator: Authenticator):
        return authenticator.user

    @admin.display(description=_("type"), ordering="type")
    def kind(self, authenticator: Authenticator) -> str:
        return authenticator.get_type_display()

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, authenticator: Authenticator):
        return authenticator.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, authenticator: Authenticator):
        return authenticator.last_used_at


apps.get_app_config("procrastinate").verbose_name = _("Background jobs")
for model, singular, plural in (
    (ProcrastinateJob, _("job"), _("jobs")),
    (ProcrastinateEvent, _("job event"), _("job events")),
    (ProcrastinateWorker, _("worker"), _("workers")),
):
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural
_JOB_FIELDS = {
    ProcrastinateJob: {
        "id": _("number"),
        "queue_name": _("queue"),
        "task_name": _("task"),
        "priority": _("priority"),
        "lock": _("lock"),
        "args": _("arguments"),
        "status": _("status"),
        "scheduled_at": _("scheduled for"),
        "attempts": _("attempts"),
        "queueing_lock": _("queueing lock"),
        "abort_requested": _("abort requested"),
        "worker": _("worker"),
    },
    ProcrastinateEvent: {"job": _("job"), "type": _("event"), "at": _("at")},
}
for model, labels in _JOB_FIELDS.items():
    for name, label in labels.items():
        model._meta.get_field(name).verbose_name = label


admin.site.unregister(ProcrastinateJob)


@admin.register(ProcrastinateJob)
class JobAdmin(ProcrastinateJobAdmin):
    """procrastinate's own admin, its computed columns named for translation (its "pk"
    column would read "Pk" in every language)."""

    list_display = ["number", "short_task_name", "pretty_args", "pretty_status", "summary"]
    fields = ["number", *(name for name in ProcrastinateJobAdmin.fields if name != "pk")]

    @admin.display(description=_("number"), ordering="pk")
    def number(self, instance: ProcrastinateJob) -> int:
        return instance.pk

    @admin.display(description=_("status"))
    def pretty_status(self, instance: ProcrastinateJob) -> str:
        return super().pretty_status(instance)

    @admin.display(description=_("task"))
    def short_task_name(self, instance: ProcrastinateJob) -> str:
        return super().short_task_name(instance)

    @admin.display(description=_("arguments"))
    def pretty_args(self, instance: ProcrastinateJob) -> str:
        return super().pretty_args(instance)

    @admin.display(description=_("summary"))
    def summary(self, instance: ProcrastinateJob) -> str:
        return super().summary(instance)

    @admin.action(description=_("Retry the failed or running jobs"))
    def retry(self, request, queryset):
        return super().retry(request, queryset)

    @admin.action(description=_("Cancel the jobs not started yet"))
    def cancel(self, request, queryset):
        return super().cancel(request, queryset)

    @admin.action(description=_("Stop the jobs, started or not"))
    def abort(self, request, queryset):
        return super().abort(request, queryset)

    actions = ["retry", "cancel", "abort"]

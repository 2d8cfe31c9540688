from allauth.account import app_settings as account_settings
from allauth.account.admin import EmailConfirmationAdmin as BaseEmailConfirmationAdmin
from allauth.account.models import EmailConfirmation
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import User
from shared_apps.accounts.pseudonyms import pseudonym_clean


class _PseudonymRule:
    """The admin's forms apply the one pseudonym rule, look-alikes included."""

    def clean_username(self):
        return pseudonym_clean(self.cleaned_data["username"], exclude_user_id=self.instance.pk)


class UserCreateForm(_PseudonymRule, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class UserEditForm(_PseudonymRule, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        # The catalogue's "active" is a feminine word of another app's.
        labels = {"is_active": _("Active")}


class ActiveFilter(admin.BooleanFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("Active")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreateForm
    form = UserEditForm
    list_display = ("username", "is_staff", "is_superuser", "active", "last_login")
    list_filter = ("is_staff", "is_superuser", ("is_active", ActiveFilter), "groups")
    search_fields = ("username",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Shown, not typed (Django's split date and time inputs have no label of their own).
    readonly_fields = ("last_login", "date_joined")
    # A plain multiple select: the two-box filter's help icons carry a prohibited
    # aria-label (Django's SelectFilter2.js).
    filter_horizontal = ()

    @admin.display(description=_("Active"), boolean=True, ordering="is_active")
    def active(self, user: User) -> bool:
        return user.is_active


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    filter_horizontal = ()  # as for the accounts' groups above


if not account_settings.EMAIL_CONFIRMATION_HMAC:
    admin.site.unregister(EmailConfirmation)

    @admin.register(EmailConfirmation)
    class EmailConfirmationAdmin(BaseEmailConfirmationAdmin):
        readonly_fields = ("created", "sent")  # written when the message goes out

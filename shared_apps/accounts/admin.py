from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreateForm
    form = UserEditForm
    list_display = ("username", "is_staff", "is_superuser", "is_active", "last_login")
    search_fields = ("username",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

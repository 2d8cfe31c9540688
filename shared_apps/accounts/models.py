from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.pseudonyms import PseudonymValidator, pseudonym_skeleton


class User(AbstractUser):
    """An account, in exactly one schema: a member of one network, or a platform operator.

    The username is the public pseudonym. There is no real-name field anywhere, and the
    email address is private (login and notifications only).
    """

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    username = models.CharField(
        _("pseudonym"),
        max_length=40,
        unique=True,
        help_text=_("Shown to other members. Do not use your real name."),
        validators=[PseudonymValidator()],
        error_messages={"unique": _("This pseudonym is already taken.")},
    )
    # What the pseudonym looks like (see pseudonyms.py): unique, so that look-alike
    # pseudonyms cannot coexist, even when two sign-ups race. Set by save(); null only for
    # rows written in bulk (tests' fixtures), which skip it: NULL, unlike "", may repeat.
    pseudonym_key = models.CharField(  # noqa: DJ001
        max_length=200, unique=True, null=True, editable=False
    )
    email = models.EmailField(_("email address"))

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.username

    def save(self, *args, **kwargs) -> None:
        # Derived from the username on every path (sign-up, invitations, admin, scripts).
        # Keys made unique by the backfill ("…#id") stay as long as the username does.
        key = pseudonym_skeleton(self.username)
        if (self.pseudonym_key or "").split("#")[0] != key:
            self.pseudonym_key = key
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "username" in update_fields:
                kwargs["update_fields"] = {*update_fields, "pseudonym_key"}
        super().save(*args, **kwargs)

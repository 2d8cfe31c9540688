from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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
        validators=[AbstractUser.username_validator],
        error_messages={"unique": _("This pseudonym is already taken.")},
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

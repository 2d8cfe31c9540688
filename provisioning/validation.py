"""Checks on what an operator types when creating a network."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

SLUG = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Names that would shadow the platform's own hosts, schemas or URLs.
RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "app", "billing", "console", "docs", "entraide", "ftp", "help",
        "internal", "mail", "media", "platform", "public", "smtp", "static", "status",
        "support", "template", "tenant-template", "www",
    }
)  # fmt: skip


def validate_slug(slug: str) -> None:
    if not SLUG.match(slug) or "--" in slug:
        raise ValidationError(
            _(
                "“%(slug)s” is not a valid network identifier: use 3 to 40 lowercase letters, "
                "digits and single hyphens, starting with a letter."
            ),
            params={"slug": slug},
            code="invalid_slug",
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg-"):
        raise ValidationError(
            _("“%(slug)s” is reserved by the platform; choose another identifier."),
            params={"slug": slug},
            code="reserved_slug",
        )


def validate_hostname(hostname: str) -> None:
    labels = hostname.split(".")
    if len(hostname) > 253 or len(labels) < 2 or not all(HOST_LABEL.match(x) for x in labels):
        raise ValidationError(
            _("“%(host)s” is not a valid hostname."),
            params={"host": hostname},
            code="invalid_hostname",
        )


def validate_admin_email(email: str) -> None:
    validate_email(email)


def schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")

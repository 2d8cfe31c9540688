"""Keeps the cached list of content warnings (selectors.content_warnings_listed) current."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenant_apps.forums.models import ContentWarning
from tenant_apps.forums.selectors import CONTENT_WARNINGS_KEY


@receiver([post_save, post_delete], sender=ContentWarning)
def content_warnings_changed(**kwargs) -> None:
    cache.delete(CONTENT_WARNINGS_KEY)

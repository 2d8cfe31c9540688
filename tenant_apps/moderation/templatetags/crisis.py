"""The network's help lines for any page, so that pages of lower apps (the members' home)
show them without importing moderation."""

from django import template

from tenant_apps.moderation.cases import crisis_resources_list
from tenant_apps.moderation.models import CrisisResource

register = template.Library()


@register.simple_tag
def crisis_resources() -> list[CrisisResource]:
    return crisis_resources_list()

from tenant_apps.moderation.models import CrisisResource


def crisis_resources_list() -> list[CrisisResource]:
    return list(CrisisResource.objects.all())

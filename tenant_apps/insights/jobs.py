"""The statistics' jobs: the platform directory's copy of a listed release."""

from core.jobs import tenant_job
from tenant_apps.insights.listing import release_directory_copy


@tenant_job()
def release_directory_sync(*, release_id: int) -> None:
    """Copy a listed release to the platform directory, or take it out; safe to run twice
    (``listing.release_directory_copy``)."""
    release_directory_copy(release_id=release_id)

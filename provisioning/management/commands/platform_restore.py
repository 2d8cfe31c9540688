"""``manage.py platform_restore BACKUP --database-url URL --media-root DIR``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provisioning.backup import BackupError, platform_restore


class Command(BaseCommand):
    help = (
        "Restore a platform_backup folder into an empty database (created if missing) and an "
        "empty media folder, then check every network, member count and file against its "
        "manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the folder platform_backup wrote")
        parser.add_argument(
            "--database-url",
            required=True,
            help="the database to restore into, e.g. postgres://postgres@db2:5432/entraide",
        )
        parser.add_argument("--media-root", type=Path, required=True, help="an empty folder")
        parser.add_argument("--jobs", type=int, default=2, help="pg_restore's parallel jobs")

    def handle(self, *args, backup: Path, database_url: str, media_root: Path, **options):
        try:
            restore = platform_restore(
                backup=backup,
                database_url=database_url,
                media_root=media_root,
                jobs=options["jobs"],
                progress=self.progress if options["verbosity"] > 1 else lambda step: None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        summary = {
            "seconds": round(restore.seconds, 3),
            "networks": len(restore.networks),
            "members": sum(int(n["members"]) for n in restore.networks),
            "files": restore.files,
        }
        self.stdout.write(json.dumps(summary))

    def progress(self, step: str) -> None:
        self.stderr.write(f"… {step}")

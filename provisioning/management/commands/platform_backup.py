"""``manage.py platform_backup DESTINATION``: a backup folder of the whole platform."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provisioning.backup import BackupError, lock_capacity_warning, platform_backup


class Command(BaseCommand):
    help = (
        "Back up the whole platform (every schema of the database, and MEDIA_ROOT) into a new "
        "folder under DESTINATION, with a manifest. Restore it with platform_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="folder that receives the backup")

    def handle(self, *args, destination: Path, **options):
        warning = lock_capacity_warning()
        if warning:
            self.stderr.write(self.style.WARNING(warning))
        try:
            backup = platform_backup(
                destination=destination,
                progress=self.progress if options["verbosity"] > 1 else lambda step: None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup.manifest
        summary = {
            "path": str(backup.path),
            "seconds": manifest["seconds"],
            "database_bytes": manifest["database"]["size_bytes"],
            "dump_bytes": manifest["database"]["dump_bytes"],
            "networks": manifest["networks"]["count"],
            "files": manifest["files"]["count"],
        }
        self.stdout.write(json.dumps(summary))

    def progress(self, step: str) -> None:
        self.stderr.write(f"… {step}")

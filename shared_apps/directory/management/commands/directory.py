"""``manage.py directory import FILE.csv [--kind associations|initiatives]`` and
``manage.py directory seed`` (the demo's directory).

An import validates every row first and writes nothing when one is wrong, naming each bad
line and column; otherwise it creates every row, published, in one transaction, then writes
their search documents. The columns are in shared_apps/directory/csv_io.py and
docs/directory-data.md.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from shared_apps.directory import csv_io, search, seeds

# Rows whose search documents are written between two progress lines.
REINDEX_STEP = 200


class Command(BaseCommand):
    help = "The platform directory: import associations or initiatives from CSV; demo data."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Import associations or initiatives from CSV.")
        load.add_argument("file", type=Path, help="a UTF-8 CSV file, comma or semicolon")
        load.add_argument(
            "--kind",
            choices=sorted(csv_io.SPECS),
            help="what the file holds (default: read from its header)",
        )
        sub.add_parser("seed", help="Fill the directory with the demo's data (idempotent).")

    def handle(self, *args, action: str, **options):
        self.started = time.monotonic()
        with schema_context("public"):
            getattr(self, f"do_{action}")(**options)

    def say(self, message: str) -> None:
        self.stdout.write(f"  [{time.monotonic() - self.started:6.2f} s] {message}")

    def do_import(self, *, file: Path, kind: str | None, **_):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: {error}") from error
        parsed = csv_io.parse(text, kind=kind)
        if parsed.errors:
            for error in parsed.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(parsed.errors)} error(s): nothing was imported from {file}.")
        self.say(f"{len(parsed.rows)} {parsed.kind} valid")
        ids = csv_io.import_rows(parsed, progress=self.say)
        model, _columns = csv_io.SPECS[parsed.kind]
        for start in range(0, len(ids), REINDEX_STEP):
            search.reindex(model, ids[start : start + REINDEX_STEP])
            self.say(f"search: {min(start + REINDEX_STEP, len(ids))}/{len(ids)}")
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} {parsed.kind} imported, published."))

    def do_seed(self, **_):
        for line in seeds.directory_seed(progress=self.say):
            self.stdout.write(line)

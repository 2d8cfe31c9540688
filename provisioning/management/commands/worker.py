"""``manage.py worker``: the job worker, which carries on across a database restart.

What deploy/compose.yaml, ``make demo`` and the tests run instead of ``manage.py procrastinate
worker`` (which stops when PostgreSQL restarts): the same procrastinate worker, in a loop that
waits for the database and starts it again (core/worker.py).
"""

import asyncio

from django.core.management.base import BaseCommand, CommandError
from procrastinate.contrib.django import app, django_connector
from procrastinate.contrib.django.settings import settings as procrastinate_settings
from procrastinate.contrib.django.utils import connector_params

from core.worker import ResilientWorker


class Command(BaseCommand):
    help = (
        "Run the job worker (procrastinate). When the database goes away, wait for it and "
        "carry on; SIGTERM or SIGINT stops it once the running jobs have finished."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-q",
            "--queues",
            default="",
            help="comma-separated queues to take jobs from (default: every queue)",
        )
        parser.add_argument(
            "-c", "--concurrency", type=int, default=1, help="jobs run at once (default 1)"
        )
        parser.add_argument(
            "--max-wait",
            type=float,
            default=600.0,
            help="seconds to wait for the database after a failure before exiting with "
            "code 1 (0: for ever; default 600)",
        )
        parser.add_argument(
            "--one-shot",
            action="store_true",
            help="run the jobs due now, then exit",
        )

    def handle(self, *args, queues: str, concurrency: int, max_wait: float, **options):
        params = connector_params(procrastinate_settings.DATABASE_ALIAS)
        worker_options = {
            "queues": [name.strip() for name in queues.split(",") if name.strip()] or None,
            "concurrency": concurrency,
            "wait": not options["one_shot"],
        }
        # As procrastinate's own command: the Django connector cannot LISTEN, the worker gets
        # a psycopg pool of its own on the same database.
        connector = app.connector
        if isinstance(connector, django_connector.DjangoConnector):
            connector = connector.get_worker_connector()
        with app.replace_connector(connector) as worker_app:
            worker_app.perform_import_paths()
            resilient = ResilientWorker(
                worker_app,
                connect_kwargs=params,
                worker_options=worker_options,
                max_wait=max_wait or None,
            )
            code = asyncio.run(resilient.run())
        if code:
            raise CommandError("the database stayed out of reach: worker stopped")

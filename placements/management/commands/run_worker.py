"""The task queue's worker for the configured backend (DJANGO_TASKS_BACKEND): django-tasks-db's
`db_worker` for "database", an RQ worker with its scheduler (`rqworker`, for retries at a later time) for
"redis". Run as many as the work needs, on any machine that reaches the database (and Redis)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then stop.")

    def handle(self, *args, burst=False, **options):
        if settings.TASKS_BACKEND == "database":
            extra = ["--batch", "--interval", "0", "--no-startup-delay"] if burst else []
            call_command("db_worker", "--queue-name", "default", "--no-reload", *extra)
        elif settings.TASKS_BACKEND == "redis":
            extra = ["--burst", "--worker-class", "rq.worker.SimpleWorker"] if burst else []
            call_command(
                "rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler", *extra
            )
        else:
            raise CommandError(
                f"DJANGO_TASKS_BACKEND={settings.TASKS_BACKEND} runs tasks without a worker: none to run."
            )

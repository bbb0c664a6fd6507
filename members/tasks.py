from celery import shared_task

from .importing import run_job
from .models import ImportJob


@shared_task
def run_import(job_id):
    # Claimed in one statement, so that a redelivered task never runs an import twice.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    if claimed:
        run_job(ImportJob.objects.get(pk=job_id))

"""The staff page's imports run here: in a Celery worker when a broker is configured (the run's page shows the
progress meanwhile), inline otherwise."""

from __future__ import annotations

from celery import shared_task
from django.core.files.storage import default_storage

from projectoffice.lib.scratch import local_copy
from projectoffice.opendata.imports import Options, run_import
from projectoffice.opendata.models import ImportRun


@shared_task(name="opendata.import_file")
def import_file_task(run_id: int, name: str) -> str:
    """Import the uploaded file stored under `name` (through the storage API, so any worker can read it), then
    delete it from the storage."""
    run = ImportRun.objects.get(pk=run_id)
    try:
        with local_copy(default_storage, name) as path:
            run = run_import(run.dataset, [path], options=Options(full_dump=run.full_dump), run=run)
    finally:
        default_storage.delete(name)
    return run.progress

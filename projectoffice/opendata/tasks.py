"""The staff page's imports run here: in a Celery worker when a broker is configured (the run's page shows the
progress meanwhile), inline otherwise."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task

from projectoffice.opendata.imports import Options, run_import
from projectoffice.opendata.models import ImportRun


@shared_task(name="opendata.import_file")
def import_file_task(run_id: int, path: str) -> str:
    run = ImportRun.objects.get(pk=run_id)
    try:
        run = run_import(run.dataset, [Path(path)], options=Options(full_dump=run.full_dump), run=run)
    finally:
        Path(path).unlink(missing_ok=True)
        Path(path).parent.rmdir()
    return run.progress

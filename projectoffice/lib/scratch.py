"""A process's own scratch files: working copies that live only while one job runs, never shared state.

Files other servers or workers must see go through Django's storage API (the S3 bucket when S3_BUCKET is set);
what is here is a job's private working space on the machine that runs it, removed when the job ends, so it
is the same whether one server runs or many (tests/config/test_no_local_files.py allows only this module)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import Storage


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """An empty private folder, removed with everything in it when the block ends."""
    with tempfile.TemporaryDirectory(prefix="projectoffice-") as folder:
        yield Path(folder)


@contextmanager
def local_copy(storage: Storage, name: str) -> Iterator[Path]:
    """A stored file as a path on this machine (for readers that need one, such as ZIP members read by worker
    processes): a copy in a scratch folder, removed when the block ends."""
    with scratch_folder() as folder, storage.open(name, "rb") as stored:
        path = folder / Path(name).name
        with path.open("wb") as copy:
            shutil.copyfileobj(stored, copy, 1 << 20)
        yield path

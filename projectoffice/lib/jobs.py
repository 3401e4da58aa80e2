"""Batch jobs that never lose work: every item is tried, a failed one is logged with its context and retried next run.

A job walks its items with `run.item(label)`; an exception inside is logged (with the job's and the item's
context) and kept in `run.failures`, and the job goes on to the next item. Whatever marks an item done (a row
saying it was sent, a timestamp) must be written in the same transaction as the work, so that a failed item
stays undone and the next run retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management.base import CommandError, OutputWrapper

from projectoffice.lib import logcontext


@dataclass(frozen=True)
class Failure:
    item: str  # which item, e.g. "application=12 user=5 <a@b.ru>"
    error: str  # the exception's class and message

    def __str__(self) -> str:
        return f"{self.item}: {self.error}"


@dataclass
class JobRun:
    """One run of a batch job: what failed, item by item, logged as it happens."""

    name: str
    logger: logging.Logger
    failures: list[Failure] = field(default_factory=list)

    @contextmanager
    def item(self, label: str) -> Iterator[None]:
        """Do one item: an exception is logged with the item and kept, and the run carries on."""
        with logcontext.bound(item=label):
            try:
                yield
            except Exception as exc:
                self.logger.exception("%s: failed for %s; it will be retried on the next run", self.name, label)
                self.failures.append(Failure(label, f"{type(exc).__name__}: {exc}"))

    def finish(self, summary: str) -> None:
        """Log the run's outcome: a warning naming the failed items when there are any."""
        if self.failures:
            self.logger.warning(
                "%s: %s; failed: %d (%s)",
                self.name,
                summary,
                len(self.failures),
                "; ".join(failure.item for failure in self.failures),
            )
        else:
            self.logger.info("%s: %s", self.name, summary)


def exit_if_failed(failures: list[Failure], stderr: OutputWrapper) -> None:
    """For a management command, after its summary: list what failed and exit non-zero, so that cron notices."""
    for failure in failures:
        stderr.write(f"  не удалось: {failure}")
    if failures:
        raise CommandError(f"не удалось: {len(failures)}; эти позиции будут повторены при следующем запуске")

"""Loads the Celery app with Django so that shared tasks bind to it."""

from config.celery import app as celery_app

__all__ = ["celery_app"]

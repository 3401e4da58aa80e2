"""The `projectoffice` console command: Django's management commands with the settings preset."""

import os
import sys

from django.core.management import execute_from_command_line

from projectoffice.lib.logcontext import command_name, job


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = ["projectoffice", *sys.argv[1:]]
    with job(command_name(argv)):  # every log line of the command says which command and which run
        execute_from_command_line(argv)

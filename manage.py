#!/usr/bin/env python
"""Django's command-line utility."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from projectoffice.lib.logcontext import command_name, job

    argv = sys.argv
    with job(command_name(argv)):  # every log line of the command says which command and which run
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()

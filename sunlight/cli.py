"""The `sunlight` console script: Django management commands run with Sunlight's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run `sunlight <command> ...` as `django-admin <command> ...` with sunlight.settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunlight.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sunlight", *sys.argv[1:]])


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Same as the `sunlight` console script, for habit's sake."""

from sunlight.cli import main

if __name__ == "__main__":
    main()

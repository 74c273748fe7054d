"""Legal review of major decisions (REV-1..13)."""

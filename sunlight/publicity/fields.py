"""A model field that exists for PostgreSQL only (ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField


class BigramCodesField(ArrayField):
    """`integer[]` on PostgreSQL (the bigram codes of a search text, under a GIN index); on other databases the
    column exists but stays NULL, and no PostgreSQL cast is written into the SQL."""

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        if connection.vendor != "postgresql":
            return "%s"
        return f"%s::{self.db_type(connection)}"

"""Suite-wide fixtures: a cheaper argon2 for speed (still argon2), and an isolated var directory."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

pytest_plugins = ["sunlight.org.tests.fixtures"]


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with small parameters: the same algorithm and checks, a fraction of the time."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["conftest.FastArgon2PasswordHasher", *settings.PASSWORD_HASHERS]

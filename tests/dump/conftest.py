"""Fixtures: the sample store's dumps, and the app serving them (shared with the linked-data tests)."""

from tests.linked_data.conftest import app, client, sample_dumps  # noqa: F401

"""Fixtures of the security tests: the collaboration fixtures, shared."""

from tests.collaboration.conftest import collab, event  # noqa: F401

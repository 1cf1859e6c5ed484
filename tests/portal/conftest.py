"""The publication tests' round in its publicity period serves the objection lookup too."""

from tests.publication.conftest import round_in_publicity  # noqa: F401

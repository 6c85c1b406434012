"""The province fixtures of this folder: `province`, shared by a module's read-only tests, and
`fresh`, a province of each test's own for the tests that write.

On SQLite both are copies of one province built per session, since building one runs every
migration for each of its sites; on PostgreSQL, whose sites are schemas of the worker's
database, each is built anew (and a file uses one kind of fixture, as both use the same
schemas).
"""

import os

import pytest
from two_sites import Province


@pytest.fixture(scope="session")
def province_template(tmp_path_factory):
    """The SQLite province the others copy (None on PostgreSQL), closed once it is built."""
    if os.environ.get("TEST_DATABASE_URL"):
        return None
    built = Province(tmp_path_factory.mktemp("province-template"))
    built.close()
    return built


def new_province(folder, template) -> Province:
    return Province(folder, like=template) if template else Province(folder)


@pytest.fixture(scope="module", name="province")
def province_fixture(tmp_path_factory, province_template):
    made = new_province(tmp_path_factory.mktemp("province"), province_template)
    yield made
    made.close()


@pytest.fixture
def fresh(tmp_path, province_template):
    """A province of the test's own: these tests write."""
    made = new_province(tmp_path, province_template)
    yield made
    made.close()

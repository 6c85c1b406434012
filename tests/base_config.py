"""The configuration every test app starts from (tests/conftest.py's fixtures and the
province tests build their apps with it)."""

import os

PASSWORD = "mat-khau-thu-nghiem"


def make_config(tmp_path, **overrides) -> dict:
    """Return the test configuration: temporary instance folder, cheap hashing."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("TEST_DATABASE_URL")
        or f"sqlite:///{tmp_path / 'test.db'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "SERVER_NAME": "localhost",
        # Visit counts are written when a test asks (a background write after a test's
        # engine is disposed would leave a connection for the collector to warn about).
        "VISITS_FLUSH_SECONDS": 0,
        # Request lines written at once, so a test reads its line as soon as it is answered.
        "LOG_FLUSH_SECONDS": 0,
        # No background sweep of the test process's memory after each province site is built
        # (tests/sites/test_hugepages.py turns it on).
        "SITES_HUGE_PAGES": False,
    }
    config.update(overrides)
    return config

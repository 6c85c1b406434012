"""The editor desk. Each module adds the views of one subject to the shared blueprint."""

from admin import articles, audit, dashboard, site, users  # noqa: F401  (register views on `bp`)
from admin.blueprint import bp

__all__ = ["bp"]

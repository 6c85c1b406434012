"""The editor desk. Each module adds the views of one subject to the shared blueprint."""

from admin import (
    backup,  # noqa: F401  (registers its views on `bp`)
    dashboard,  # noqa: F401  (registers its views on `bp`)
)
from admin.blueprint import bp

__all__ = ["bp"]

"""The editor desk. Each module adds the views of one subject to the shared blueprint."""

# Each import registers its module's views on `bp`.
from admin import (  # noqa: F401
    dashboard,
    documents,
    officials,
)
from admin.blueprint import bp

__all__ = ["bp"]

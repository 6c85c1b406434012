"""The editor desk. Each module adds the views of one subject to the shared blueprint."""

import admin.attachments  # noqa: F401  (attached files)
import admin.media  # noqa: F401  (the media library)
from admin import dashboard  # noqa: F401  (registers its views on `bp`)
from admin.blueprint import bp

__all__ = ["bp"]

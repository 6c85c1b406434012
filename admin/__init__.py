"""The editor desk. Each module adds the views of one subject to the shared blueprint."""

from admin import (  # each module registers its views on `bp`
    account,  # noqa: F401
    articles,  # noqa: F401
    attachments,  # noqa: F401
    audit,  # noqa: F401
    backup,  # noqa: F401
    citizens,  # noqa: F401
    dashboard,  # noqa: F401
    documents,  # noqa: F401
    firstday,  # noqa: F401
    media,  # noqa: F401
    officials,  # noqa: F401
    redirects,  # noqa: F401
    site,  # noqa: F401
    users,  # noqa: F401
)
from admin.blueprint import bp

__all__ = ["bp"]

"""The HTTP plumbing every response passes through: static assets, caching validators,
compression, security headers, error pages, request logs, pagination, URLs, and the one
registry of template helpers."""

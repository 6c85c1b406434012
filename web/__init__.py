"""The HTTP plumbing every response passes through: static assets, caching validators,
compression, security headers, error pages (and the old addresses they redirect), request
logs, pagination, URLs, and the one registry of template helpers."""

"""Bantin: the application factory. Read it as the table of contents of the site."""

import os
from datetime import timedelta

from flask import Flask

DEFAULT_SECRET_KEY = "dev-only-not-secret"


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the Bantin application."""
    instance_path = (test_config or {}).get("INSTANCE_PATH")
    app = Flask(
        __name__, instance_path=instance_path, instance_relative_config=True, static_folder=None
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_response_filters(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    """Load defaults, then instance/config.py, then FLASK_* variables (or the test config)."""
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=DEFAULT_SECRET_KEY,
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "bantin.db"),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MEDIA_ROOT=os.path.join(app.instance_path, "media"),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=2),
        WTF_CSRF_TIME_LIMIT=None,
        PER_PAGE=10,
        PUBLIC_MAX_AGE=300,
        SITE_URL="",
        PASSWORD_HASH_METHOD="scrypt",
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.config["MEDIA_ROOT"], exist_ok=True)


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF protection and logins to the app."""
    from extensions import csrf, login_manager, migrate
    from models import db, render_migration_item
    from search import include_in_migrations

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(app.root_path, "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
        include_name=include_in_migrations,
    )
    csrf.init_app(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount the reader site, assets and media, the login and the editor desk."""
    import admin
    import assets
    import auth
    import media
    import public

    app.register_blueprint(assets.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    assets.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    """Answer every error with a Vietnamese page in the site's layout."""
    import errors

    errors.init_app(app)


def register_response_filters(app: Flask) -> None:
    """Add security headers and compress what the app sends."""
    import compression
    import security

    app.after_request(security.add_security_headers)
    app.after_request(compression.compress_response)


def register_template_helpers(app: Flask) -> None:
    """Give templates the site's settings, menus, dates and URLs."""
    import templating

    templating.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `flask` commands the IT officer uses."""
    import cli

    cli.init_app(app)

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from search.index import backend_for

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging, unless the app has set up logging already
# (logs.py): replacing it would silence the app's loggers in the same process.
if not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger('alembic.env')


def get_engine():
    # Flask-SQLAlchemy 3: `get_engine()` is deprecated (and a warning is an error in tests).
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def virtual_tables(connection):
    """Return SQLite virtual tables (FTS5 search indexes) and their shadow tables, or
    PostgreSQL's search tables (search.postgresql).

    Migrations create them on purpose and no model describes them: autogenerate must neither
    reflect them nor propose dropping them.
    """
    if connection.dialect.name == 'postgresql':
        return set(backend_for('postgresql').TABLES)
    if connection.dialect.name != 'sqlite':
        return set()
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'").all()
    virtual = {name for name, sql in rows
               if (sql or '').upper().startswith('CREATE VIRTUAL TABLE')}
    return {name for name, _ in rows
            if name in virtual or any(name.startswith(v + '_') for v in virtual)}


def skip_tables(names):
    """Return an include_name filter that leaves the given database tables out."""
    def include_name(name, type_, parent_names):
        return not (type_ == 'table' and name in names)
    return include_name


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    # Its own connection: a query on the migration connection would open a transaction that
    # alembic then leaves uncommitted.
    with connectable.connect() as probe:
        args = {'include_name': skip_tables(virtual_tables(probe)), **conf_args}

    with connectable.connect() as connection:
        foreign_keys_off(connection)
        try:
            context.configure(
                connection=connection,
                target_metadata=get_metadata(),
                **args
            )

            with context.begin_transaction():
                context.run_migrations()
        finally:
            foreign_keys_on(connection)


def foreign_keys_off(connection):
    """Batch mode rebuilds a SQLite table (copy, drop, rename): with foreign keys enforced,
    dropping the old table would cascade-delete every row that points at it."""
    if connection.dialect.name == 'sqlite':
        connection.exec_driver_sql('PRAGMA foreign_keys=OFF')
        connection.commit()


def foreign_keys_on(connection):
    """Enforce foreign keys again (the pooled connection outlives the migration) and make
    sure the rebuilt tables left no dangling reference."""
    if connection.dialect.name != 'sqlite':
        return
    connection.rollback()
    connection.exec_driver_sql('PRAGMA foreign_keys=ON')
    dangling = connection.exec_driver_sql('PRAGMA foreign_key_check').all()
    connection.commit()
    if dangling:
        raise RuntimeError(f'migration left rows pointing nowhere: {dangling[:5]}')


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

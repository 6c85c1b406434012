"""Ids are never reused (AUTOINCREMENT on SQLite) and the audit log keeps the names it wrote

Revision ID: f4c8a1e6b2d9
Revises: e3b9c6d41a27
Create Date: 2026-12-07 07:55:00

SQLite hands a deleted row's id out again when it was the highest: the next upload became a
deleted emblem, a new article took a deleted one's history in the audit log. Each table with
an integer id is rebuilt with AUTOINCREMENT, and its counter starts past every id something
still names (audit entries, image settings, links in bodies), so no old reference finds a new
row. PostgreSQL's sequences never reuse an id; there only the audit log changes.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4c8a1e6b2d9'
down_revision = 'e3b9c6d41a27'
branch_labels = None
depends_on = None

# Every table with an integer id at this revision (copied, so this file never changes).
TABLES = ('user', 'login_attempt', 'sign_in', 'category', 'category_alias', 'page',
          'official', 'media', 'attachment', 'media_use', 'article', 'revision', 'document',
          'audit_log', 'redirect', 'imported_item')
# As models.AUDIT_NAMES: what the log calls each kind of object.
NAMES = {'article': 'title', 'category': 'name', 'page': 'title', 'user': 'username',
         'document': 'number', 'official': 'name', 'redirect': 'old_path'}
DELETIONS = ('delete', 'document_delete', 'official_delete', 'redirect_delete')
MEDIA_REF = re.compile(r"/media/(\d+)-\d+\.(?:webp|jpg)")
IMAGE_SETTINGS = ('logo', 'banner', 'share_image')
LARGEST_ID = 2**31 - 1


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('object_name', sa.String(length=250), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('object_name', server_default=None)
    name_old_entries(op.get_bind())
    if op.get_bind().dialect.name == 'sqlite':
        for table in TABLES:
            rebuild(table, True)
        start_counters_past_old_references(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for table in TABLES:
            rebuild(table, False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('object_name')


def rebuild(table, autoincrement):
    """Copy a SQLite table into one declared with (or without) AUTOINCREMENT, ids kept."""
    with op.batch_alter_table(table, recreate='always',
                              table_kwargs={'sqlite_autoincrement': autoincrement}):
        pass


# --- Naming what the log recorded before it kept names -------------------------------------


def deleted_name(kind, detail):
    """Read an object's name back from the detail its deletion entry wrote."""
    detail = detail or ''
    if kind == 'redirect':
        return detail.split(' → ')[0]
    quoted = re.search(r'“(.*)”', detail)
    if kind in ('category', 'page'):
        return quoted.group(1) if quoted else ''
    return detail


def name_old_entries(connection):
    """Give each old entry the name its object had: the current one after its last deletion
    (or when it never was deleted), else the name its next deletion entry recorded."""
    updates = []
    for kind, attribute in NAMES.items():
        current = dict(connection.execute(
            sa.text(f'SELECT id, "{attribute}" FROM "{kind}"')).all())
        entries = connection.execute(sa.text(
            'SELECT id, action, object_id, detail FROM audit_log '
            'WHERE object_type = :kind AND object_id IS NOT NULL ORDER BY id DESC'),
            {'kind': kind}).all()
        later_deletion = {}  # object id -> name recorded by its next deletion entry
        for entry_id, action, object_id, detail in entries:
            if action in DELETIONS:
                later_deletion[object_id] = deleted_name(kind, detail)
            name = later_deletion.get(object_id, current.get(object_id, ''))
            if name:
                updates.append({'entry': entry_id, 'name': str(name)[:250]})
    if updates:
        connection.execute(
            sa.text('UPDATE audit_log SET object_name = :name WHERE id = :entry'), updates)


# --- Counters past every old reference -------------------------------------------------------


def highest_named_media(connection):
    """The highest image id the settings or any body still names."""
    named = [int(value) for key, value in connection.execute(
        sa.text('SELECT key, value FROM setting')) if key in IMAGE_SETTINGS and
        (value or '').isdigit()]
    for table in ('article', 'page'):
        for (body,) in connection.execute(sa.text(f'SELECT body FROM {table}')):
            named += [int(found) for found in MEDIA_REF.findall(body or '')]
    return max([n for n in named if n <= LARGEST_ID], default=0)


def start_counters_past_old_references(connection):
    floors = {kind: connection.execute(sa.text(
        'SELECT MAX(object_id) FROM audit_log WHERE object_type = :kind'),
        {'kind': kind}).scalar() or 0 for kind in NAMES}
    floors['media'] = highest_named_media(connection)
    for table in TABLES:
        highest = connection.execute(sa.text(f'SELECT MAX(id) FROM "{table}"')).scalar() or 0
        floor = max(highest, min(floors.get(table, 0), LARGEST_ID))
        connection.execute(sa.text('DELETE FROM sqlite_sequence WHERE name = :t'), {'t': table})
        connection.execute(sa.text('INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)'),
                           {'t': table, 's': floor})

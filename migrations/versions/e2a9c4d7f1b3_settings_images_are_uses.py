"""Settings images are uses: the emblem, banner and default share picture in media_use

Revision ID: e2a9c4d7f1b3
Revises: e3b7c1d9a4f2
Create Date: 2026-12-07 07:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2a9c4d7f1b3'
down_revision = 'e3b7c1d9a4f2'
branch_labels = None
depends_on = None

# As models.py writes them; copied so this migration never changes with the code.
IMAGE_SETTINGS = ('logo', 'banner', 'share_image')
LARGEST_ID = 2**31 - 1
OWNERS = ('article_id', 'page_id', 'setting_key')


def one_owner(columns):
    return ' + '.join(f'(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)'
                      for column in columns) + ' = 1'


def upgrade():
    with op.batch_alter_table('media_use', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_media_use_one_owner'), type_='check')
        batch_op.add_column(sa.Column('setting_key', sa.String(length=64), nullable=True))
        batch_op.create_check_constraint(op.f('ck_media_use_one_owner'), one_owner(OWNERS))
    fill()


def fill():
    """Record the images the settings already name."""
    connection = op.get_bind()
    known = {row[0] for row in connection.execute(sa.text('SELECT id FROM media'))}
    rows = []
    for key, value in connection.execute(sa.text('SELECT key, value FROM setting')):
        if key in IMAGE_SETTINGS and (value or '').isdigit() and int(value) <= LARGEST_ID \
                and int(value) in known:
            rows.append({'media_id': int(value), 'setting_key': key})
    if rows:
        table = sa.table('media_use', sa.column('media_id'), sa.column('setting_key'))
        op.bulk_insert(table, rows)


def downgrade():
    op.execute(sa.text('DELETE FROM media_use WHERE setting_key IS NOT NULL'))
    with op.batch_alter_table('media_use', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_media_use_one_owner'), type_='check')
        batch_op.drop_column('setting_key')
        batch_op.create_check_constraint(
            op.f('ck_media_use_one_owner'), '(article_id IS NULL) != (page_id IS NULL)')

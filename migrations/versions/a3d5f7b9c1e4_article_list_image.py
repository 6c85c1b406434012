"""An article's list picture: its lead image, else the body's first picture, unless hidden

Revision ID: a3d5f7b9c1e4
Revises: f4c8a1e6b2d9
Create Date: 2026-12-07 08:00:00

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3d5f7b9c1e4'
down_revision = 'f4c8a1e6b2d9'
branch_labels = None
depends_on = None

# As media/usage.py reads bodies; copied so this migration never changes with the code.
MEDIA_REF = re.compile(r"/media/(\d+)-\d+\.(?:webp|jpg)")


def upgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_image_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hide_list_image', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_article_list_image_id_media'), 'media',
                                    ['list_image_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.alter_column('hide_list_image', server_default=None)
    fill()


def fill():
    """Choose the list picture of the articles already stored."""
    connection = op.get_bind()
    images = {row[0] for row in connection.execute(
        sa.text("SELECT id FROM media WHERE kind = 'image'"))}
    rows = []
    for article_id, lead_id, body in connection.execute(
            sa.text('SELECT id, image_id, body FROM article')):
        chosen = lead_id or next((int(found) for found in MEDIA_REF.findall(body or '')
                                  if int(found) in images), None)
        if chosen:
            rows.append({'article': article_id, 'chosen': chosen})
    if rows:
        connection.execute(
            sa.text('UPDATE article SET list_image_id = :chosen WHERE id = :article'), rows)


def downgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_article_list_image_id_media'), type_='foreignkey')
        batch_op.drop_column('hide_list_image')
        batch_op.drop_column('list_image_id')

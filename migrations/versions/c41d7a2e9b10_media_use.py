"""media use: which articles and pages show an image

Revision ID: c41d7a2e9b10
Revises: c3f1a2b4d5e6
Create Date: 2026-12-01 20:50:00

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c41d7a2e9b10'
down_revision = 'c3f1a2b4d5e6'
branch_labels = None
depends_on = None

# As media/usage.py reads bodies; copied so this migration never changes with the code.
MEDIA_REF = re.compile(r"/media/(\d+)-\d+\.(?:webp|jpg)")
LARGEST_ID = 2**31 - 1


def upgrade():
    op.create_table('media_use',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('page_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(article_id IS NULL) != (page_id IS NULL)', name=op.f('ck_media_use_one_owner')),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_media_use_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['media.id'], name=op.f('fk_media_use_media_id_media'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_media_use_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_use'))
    )
    with op.batch_alter_table('media_use', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_use_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_use_media_id'), ['media_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_use_page_id'), ['page_id'], unique=False)
    fill()


def fill():
    """Derive the uses of the articles and pages already stored."""
    connection = op.get_bind()
    known = {row[0] for row in connection.execute(sa.text("SELECT id FROM media"))}
    rows = []
    articles = connection.execute(sa.text("SELECT id, body, image_id FROM article"))
    for owner_id, body, lead_id in articles:
        for media_id in used(body, lead_id) & known:
            rows.append({"media_id": media_id, "article_id": owner_id, "page_id": None})
    for owner_id, body in connection.execute(sa.text("SELECT id, body FROM page")):
        for media_id in used(body, None) & known:
            rows.append({"media_id": media_id, "article_id": None, "page_id": owner_id})
    if rows:
        table = sa.table("media_use", sa.column("media_id"), sa.column("article_id"),
                         sa.column("page_id"))
        op.bulk_insert(table, rows)


def used(body, lead_id):
    ids = {int(found) for found in MEDIA_REF.findall(body or "")}
    if lead_id:
        ids.add(lead_id)
    return {media_id for media_id in ids if media_id <= LARGEST_ID}


def downgrade():
    with op.batch_alter_table('media_use', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_use_page_id'))
        batch_op.drop_index(batch_op.f('ix_media_use_media_id'))
        batch_op.drop_index(batch_op.f('ix_media_use_article_id'))

    op.drop_table('media_use')

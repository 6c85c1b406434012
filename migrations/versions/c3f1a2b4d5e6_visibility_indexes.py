"""Covering indexes for the visibility rule: every listing, count and page stays in its index

Revision ID: c3f1a2b4d5e6
Revises: c7a4e2f19b30
Create Date: 2026-12-01 21:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3f1a2b4d5e6'
down_revision = 'c7a4e2f19b30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_index('ix_article_status_publish_at')
        batch_op.drop_index('ix_article_category_publish_at')
        batch_op.create_index('ix_article_visible', ['status', 'publish_at', 'id', 'expire_at'])
        batch_op.create_index(
            'ix_article_category_visible', ['category_id', 'status', 'publish_at', 'id', 'expire_at']
        )
        batch_op.create_index(
            'ix_article_featured_visible', ['featured', 'status', 'publish_at', 'id', 'expire_at']
        )
        batch_op.create_index('ix_article_status_expire_at', ['status', 'expire_at'])


def downgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_index('ix_article_status_expire_at')
        batch_op.drop_index('ix_article_featured_visible')
        batch_op.drop_index('ix_article_category_visible')
        batch_op.drop_index('ix_article_visible')
        batch_op.create_index('ix_article_category_publish_at', ['category_id', 'publish_at'])
        batch_op.create_index('ix_article_status_publish_at', ['status', 'publish_at'])

"""Views of each article per day (visit counts, no personal data)

Revision ID: b8e4d2a6c9f1
Revises: bcf14da20b6c
Create Date: 2026-12-07 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4d2a6c9f1'
down_revision = 'bcf14da20b6c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('article_view',
    sa.Column('article_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_view_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'day', name=op.f('pk_article_view'))
    )
    with op.batch_alter_table('article_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_view_day'), ['day'], unique=False)


def downgrade():
    with op.batch_alter_table('article_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_view_day'))
    op.drop_table('article_view')

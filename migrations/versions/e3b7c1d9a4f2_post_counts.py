"""POSTs counted by the rate limits on anonymous forms

Revision ID: e3b7c1d9a4f2
Revises: d5e8b3a1c702
Create Date: 2026-12-07 07:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b7c1d9a4f2'
down_revision = 'd5e8b3a1c702'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('post_count',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('slot', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'key', 'slot', name=op.f('pk_post_count'))
    )


def downgrade():
    op.drop_table('post_count')

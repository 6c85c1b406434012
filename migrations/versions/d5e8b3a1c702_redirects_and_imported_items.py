"""Redirects (old addresses answering 301) and the items imports have made

Revision ID: d5e8b3a1c702
Revises: c4d2a7e91b05
Create Date: 2026-12-01 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e8b3a1c702'
down_revision = 'c4d2a7e91b05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('redirect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=True),
    sa.Column('old_path', sa.String(length=2000), nullable=False),
    sa.Column('target', sa.String(length=2000), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redirect'))
    )
    with op.batch_alter_table('redirect', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redirect_old_path'), ['old_path'], unique=False)

    op.create_table('imported_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_item'))
    )
    with op.batch_alter_table('imported_item', schema=None) as batch_op:
        batch_op.create_index(
            'ix_imported_item_source_key', ['source', 'key', 'kind'], unique=True
        )


def downgrade():
    with op.batch_alter_table('imported_item', schema=None) as batch_op:
        batch_op.drop_index('ix_imported_item_source_key')
    op.drop_table('imported_item')
    with op.batch_alter_table('redirect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redirect_old_path'))
    op.drop_table('redirect')

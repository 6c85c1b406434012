"""Article review note: why, when and by whom an article was returned to its author

Revision ID: c4d2a7e91b05
Revises: c41d7a2e9b10
Create Date: 2026-12-01 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d2a7e91b05'
down_revision = 'c41d7a2e9b10'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows need a value; the defaults go again once the rows are filled.
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('returned_by', sa.String(length=120), nullable=False, server_default='')
        )

    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.alter_column('review_note', server_default=None)
        batch_op.alter_column('returned_by', server_default=None)


def downgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('returned_by')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('review_note')

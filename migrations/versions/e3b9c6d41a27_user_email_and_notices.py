"""User e-mail address for the desk's notices, and when notices were last seen

Revision ID: e3b9c6d41a27
Revises: e2a9c4d7f1b3
Create Date: 2026-12-07 07:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b9c6d41a27'
down_revision = 'e2a9c4d7f1b3'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows need a value; the default goes again once the rows are filled.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('email', sa.String(length=120), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('notices_seen_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('email', server_default=None)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('notices_seen_at')
        batch_op.drop_column('email')

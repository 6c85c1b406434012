"""Search index (folded column, FTS5 on SQLite), officials, page officials flag

Revision ID: ef1948e93e26
Revises: b3d001a0aaef
Create Date: 2026-11-26 04:07:41.252801

"""
from alembic import op
import sqlalchemy as sa

import search


# revision identifiers, used by Alembic.
revision = 'ef1948e93e26'
down_revision = 'b3d001a0aaef'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('official',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('title_en', sa.String(length=250), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official'))
    )
    # Existing rows need a value; the defaults go again once the rows are filled.
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_folded', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_folded', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_officials', sa.Boolean(), nullable=False, server_default=sa.false()))

    # The seeded organisation pages list the officials.
    op.execute("UPDATE page SET show_officials = true WHERE slug IN ('co-cau-to-chuc', 'contact')")
    # Creates the FTS5 tables on SQLite and folds every existing article and document.
    search.rebuild(op.get_bind())

    for table_name, column_name in (
        ('article', 'search_folded'), ('document', 'search_folded'), ('page', 'show_officials')
    ):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column(column_name, server_default=None)


def downgrade():
    search.drop_index_tables(op.get_bind())
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.drop_column('show_officials')

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('search_folded')

    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('search_folded')

    op.drop_table('official')

"""PostgreSQL's search words: article_words and document_words, a GIN index each

Revision ID: c5d2e8f1a3b7
Revises: 1aa05e835824
Create Date: 2026-12-07 10:40:00.000000

"""
from alembic import op

import search.postgresql
from search.specs import SPECS


# revision identifiers, used by Alembic.
revision = 'c5d2e8f1a3b7'
down_revision = '1aa05e835824'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite searches its FTS5 tables, as before; PostgreSQL's words come from the folded
    # column every row already has, so nothing is folded again.
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    search.postgresql.create_index(bind, SPECS.values())
    for spec in SPECS.values():
        search.postgresql.clear(bind, spec)
        search.postgresql.refill(bind, spec, [])


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        search.postgresql.drop_index(bind, SPECS.values())

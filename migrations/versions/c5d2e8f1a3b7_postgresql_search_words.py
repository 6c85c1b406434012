"""PostgreSQL's search words: article_words and document_words, a GIN index each

Revision ID: c5d2e8f1a3b7
Revises: 1aa05e835824
Create Date: 2026-12-07 10:40:00.000000

"""
from alembic import op

# The tables as this revision made them, written out: search.postgresql now makes their
# successors (revision 9b4e6d2f8a15).
WORDS = {'article_words': ('article', True), 'document_words': ('document', False)}


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
    for name, (owner, scope) in WORDS.items():
        op.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY REFERENCES {owner} (id) "
                   "ON DELETE CASCADE, words TSVECTOR NOT NULL)")
        op.execute(f"CREATE INDEX ix_{name} ON {name} USING gin (words)")
        words = "strip(to_tsvector('simple', search_folded))"
        if scope:
            words += " || array_to_tsvector(ARRAY['k ' || CAST(category_id AS TEXT)])"
        op.execute(f"INSERT INTO {name} (id, words) SELECT id, {words} FROM {owner}")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        for name in WORDS:
            op.execute(f"DROP TABLE IF EXISTS {name}")

"""PostgreSQL's search tables: the words and the columns a search filters by, in one table

Revision ID: 9b4e6d2f8a15
Revises: c5d2e8f1a3b7
Create Date: 2026-12-07 13:00:00.000000

"""
from alembic import op

# This revision makes the search tables with today's code. When search.postgresql's tables
# change again, write the SQL it runs here out in full, as c5d2e8f1a3b7 does for the words
# tables, or this revision would make the newer tables and the next one fail.
import search.postgresql
from search.specs import SPECS


# revision identifiers, used by Alembic.
revision = '9b4e6d2f8a15'
down_revision = 'c5d2e8f1a3b7'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite searches its FTS5 tables, as before. On PostgreSQL article_search and
    # document_search replace the words tables: the same words with their positions, and
    # copies of the columns a search filters by, kept by a trigger (search.postgresql).
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for name in ('article_words', 'document_words'):
        op.execute(f'DROP TABLE IF EXISTS {name}')
    search.postgresql.create_index(bind, SPECS.values())
    for spec in SPECS.values():
        search.postgresql.clear(bind, spec)
        search.postgresql.refill(bind, spec, [])


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    search.postgresql.drop_index(bind, SPECS.values())
    for name, owner, scope in (('article_words', 'article', True),
                               ('document_words', 'document', False)):
        op.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY REFERENCES {owner} (id) "
                   "ON DELETE CASCADE, words TSVECTOR NOT NULL)")
        op.execute(f"CREATE INDEX ix_{name} ON {name} USING gin (words)")
        words = "strip(to_tsvector('simple', search_folded))"
        if scope:
            words += " || array_to_tsvector(ARRAY['k ' || CAST(category_id AS TEXT)])"
        op.execute(f"INSERT INTO {name} (id, words) SELECT id, {words} FROM {owner}")

"""Citizens' questions ("Hỏi đáp"), answered and published by the desk

Revision ID: 3c10c6985b14
Revises: a3d5f7b9c1e4
Create Date: 2026-12-07 07:24:45.508690

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c10c6985b14'
down_revision = 'a3d5f7b9c1e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('sender_key', sa.String(length=64), nullable=False),
    sa.Column('contact_until', sa.DateTime(), nullable=True),
    sa.Column('contact_erased_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answer_text', sa.Text(), nullable=False),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('answerer_name', sa.String(length=120), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('search_folded', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('waiting', 'published', 'spam')", name=op.f('ck_question_status')),
    sa.ForeignKeyConstraint(['answered_by'], ['user.id'], name=op.f('fk_question_answered_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_sender_key'), ['sender_key'], unique=False)
        batch_op.create_index('ix_question_status_published_at', ['status', 'published_at'], unique=False)



def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index('ix_question_status_published_at')
        batch_op.drop_index(batch_op.f('ix_question_sender_key'))

    op.drop_table('question')

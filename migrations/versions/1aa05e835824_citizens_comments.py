"""Comments on draft documents ("Góp ý dự thảo"): the window, the summary report, the comments

Revision ID: 1aa05e835824
Revises: 876a3e274861
Create Date: 2026-12-07 08:52:39.854685

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1aa05e835824'
down_revision = '876a3e274861'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('sender_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('contact_until', sa.DateTime(), nullable=True),
    sa.Column('contact_erased_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('waiting', 'published', 'spam')", name=op.f('ck_document_comment_status')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_comment_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_comment')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('document_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_comment_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_comment_sender_key'), ['sender_key'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comments_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('comments_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('comment_report_id', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('comment_report_id')
        batch_op.drop_column('comments_until')
        batch_op.drop_column('comments_from')

    with op.batch_alter_table('document_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_comment_sender_key'))
        batch_op.drop_index(batch_op.f('ix_document_comment_document_id'))

    op.drop_table('document_comment')

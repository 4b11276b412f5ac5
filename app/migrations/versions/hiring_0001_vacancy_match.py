"""Hiring: each vacancy's stored matches (the nightly top 100, and those computed on publication).

Revision ID: hiring_0001
Revises: handoff_0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op


revision = "hiring_0001"
down_revision = "handoff_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('vacancy_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('fit', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['account.id'], name=op.f('fk_vacancy_match_candidate_id_account'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_vacancy_match_vacancy_id_vacancy'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_match')),
    sa.UniqueConstraint('vacancy_id', 'candidate_id', name=op.f('uq_vacancy_match_vacancy_id_candidate_id')),
    sa.UniqueConstraint('vacancy_id', 'reference', name=op.f('uq_vacancy_match_vacancy_id_reference')),
    )
    with op.batch_alter_table('vacancy_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_match_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_match_vacancy_id'), ['vacancy_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('vacancy_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_match_vacancy_id'))
        batch_op.drop_index(batch_op.f('ix_vacancy_match_candidate_id'))
    op.drop_table('vacancy_match')

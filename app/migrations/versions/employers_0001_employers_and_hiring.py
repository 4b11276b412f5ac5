"""Employers and hiring: employers, the people acting for them, vacancies, candidates' consent to be
found, employers' interest and job offers (issue 13).

Revision ID: employers_0001
Revises: handoff_0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op


revision = "employers_0001"
down_revision = "handoff_0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('employer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('state_code', sa.String(length=2), nullable=False),
    sa.Column('registration_number', sa.String(length=64), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('verified_at', UTC, nullable=True),
    sa.Column('verified_by', sa.Integer(), nullable=True),
    sa.Column('suspended_at', UTC, nullable=True),
    sa.Column('suspended_by', sa.Integer(), nullable=True),
    sa.Column('suspension_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['state_code'], ['member_state.code'], name=op.f('fk_employer_state_code_member_state')),
    sa.ForeignKeyConstraint(['suspended_by'], ['account.id'], name=op.f('fk_employer_suspended_by_account')),
    sa.ForeignKeyConstraint(['verified_by'], ['account.id'], name=op.f('fk_employer_verified_by_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer')),
    sa.UniqueConstraint('reference', name=op.f('uq_employer_reference')),
    sa.UniqueConstraint('state_code', 'registration_number', name=op.f('uq_employer_state_code_registration_number'))
    )
    with op.batch_alter_table('employer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_state_code'), ['state_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_status'), ['status'], unique=False)

    op.create_table('findability',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('given_at', UTC, nullable=False),
    sa.Column('withdrawn_at', UTC, nullable=True),
    sa.Column('any_state', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_findability_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_findability'))
    )
    op.create_table('employer_member',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('added_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_employer_member_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employer_member_employer_id_employer')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_employer_member'))
    )
    with op.batch_alter_table('employer_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_member_employer_id'), ['employer_id'], unique=False)

    op.create_table('vacancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=2), nullable=False),
    sa.Column('occupation', sa.String(length=4), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('closing_date', sa.Date(), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('salary_min', sa.Integer(), nullable=True),
    sa.Column('salary_max', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('published_at', UTC, nullable=True),
    sa.Column('closed_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_vacancy_employer_id_employer')),
    sa.ForeignKeyConstraint(['state_code'], ['member_state.code'], name=op.f('fk_vacancy_state_code_member_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy')),
    sa.UniqueConstraint('reference', name=op.f('uq_vacancy_reference'))
    )
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_occupation'), ['occupation'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_state_code'), ['state_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_status'), ['status'], unique=False)

    op.create_table('interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('answered_at', UTC, nullable=True),
    sa.Column('contact_shared_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['account.id'], name=op.f('fk_interest_candidate_id_account')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_interest_employer_id_employer')),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_interest_vacancy_id_vacancy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest')),
    sa.UniqueConstraint('vacancy_id', 'candidate_id', name=op.f('uq_interest_vacancy_id_candidate_id'))
    )
    with op.batch_alter_table('interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_vacancy_id'), ['vacancy_id'], unique=False)

    op.create_table('job_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=2), nullable=False),
    sa.Column('occupation', sa.String(length=4), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('made_at', UTC, nullable=False),
    sa.Column('answered_at', UTC, nullable=True),
    sa.Column('withdrawn_at', UTC, nullable=True),
    sa.Column('withdrawal_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['account.id'], name=op.f('fk_job_offer_candidate_id_account')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_job_offer_employer_id_employer')),
    sa.ForeignKeyConstraint(['interest_id'], ['interest.id'], name=op.f('fk_job_offer_interest_id_interest')),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_job_offer_vacancy_id_vacancy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_offer')),
    sa.UniqueConstraint('interest_id', name=op.f('uq_job_offer_interest_id'))
    )
    with op.batch_alter_table('job_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_offer_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_offer_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_offer_state_code'), ['state_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_offer_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_offer_vacancy_id'), ['vacancy_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('job_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_offer_vacancy_id'))
        batch_op.drop_index(batch_op.f('ix_job_offer_status'))
        batch_op.drop_index(batch_op.f('ix_job_offer_state_code'))
        batch_op.drop_index(batch_op.f('ix_job_offer_employer_id'))
        batch_op.drop_index(batch_op.f('ix_job_offer_candidate_id'))

    op.drop_table('job_offer')
    with op.batch_alter_table('interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_vacancy_id'))
        batch_op.drop_index(batch_op.f('ix_interest_status'))
        batch_op.drop_index(batch_op.f('ix_interest_employer_id'))
        batch_op.drop_index(batch_op.f('ix_interest_candidate_id'))

    op.drop_table('interest')
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_status'))
        batch_op.drop_index(batch_op.f('ix_vacancy_state_code'))
        batch_op.drop_index(batch_op.f('ix_vacancy_occupation'))
        batch_op.drop_index(batch_op.f('ix_vacancy_employer_id'))

    op.drop_table('vacancy')
    with op.batch_alter_table('employer_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_member_employer_id'))

    op.drop_table('employer_member')
    op.drop_table('findability')
    with op.batch_alter_table('employer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_status'))
        batch_op.drop_index(batch_op.f('ix_employer_state_code'))

    op.drop_table('employer')

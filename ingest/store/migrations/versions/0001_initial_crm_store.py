"""initial CRM store

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 17:22:43.332545
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('census_figures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('dataset', sa.String(length=100), nullable=False),
    sa.Column('geo_id', sa.String(length=40), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('variable', sa.String(length=40), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('estimate', sa.Float(), nullable=True),
    sa.Column('margin', sa.Float(), nullable=True),
    sa.Column('lower_bound', sa.Float(), nullable=True),
    sa.Column('upper_bound', sa.Float(), nullable=True),
    sa.Column('annotation', sa.String(length=40), nullable=True),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_census_figures')),
    sa.UniqueConstraint('dataset', 'geo_id', 'variable', name=op.f('uq_census_figures_dataset_geo_id_variable'))
    )
    with op.batch_alter_table('census_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_census_figures_postal_code'), ['postal_code'], unique=False)

    op.create_table('companies',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('match_key', sa.String(length=300), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('industry', sa.String(length=200), nullable=True),
    sa.Column('size', sa.String(length=50), nullable=True),
    sa.Column('street', sa.Text(), nullable=True),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_domain'), ['domain'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_match_key'), ['match_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_phone'), ['phone'], unique=False)

    op.create_table('custom_fields',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('data_type', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_fields')),
    sa.UniqueConstraint('entity', 'name', name=op.f('uq_custom_fields_entity_name'))
    )
    op.create_table('enrichments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('field', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrichments'))
    )
    with op.batch_alter_table('enrichments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrichments_entity_entity_id'), ['entity', 'entity_id'], unique=False)

    op.create_table('match_models',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('trained_on', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_models')),
    sa.UniqueConstraint('version', name=op.f('uq_match_models_version'))
    )
    op.create_table('sources',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('profile', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    op.create_table('store_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_store_meta'))
    )
    op.create_table('suppressions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value_hash', sa.String(length=64), nullable=False),
    sa.Column('algorithm', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppressions')),
    sa.UniqueConstraint('kind', 'value_hash', name=op.f('uq_suppressions_kind_value_hash'))
    )
    op.create_table('users',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('import_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('source_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mapping', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('manifest', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('timings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rows_in', sa.Integer(), nullable=False),
    sa.Column('loaded_new', sa.Integer(), nullable=False),
    sa.Column('merged', sa.Integer(), nullable=False),
    sa.Column('suppressed', sa.Integer(), nullable=False),
    sa.Column('quarantined', sa.Integer(), nullable=False),
    sa.Column('review_pending', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_import_runs_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs')),
    sa.UniqueConstraint('source_id', 'file_hash', name=op.f('uq_import_runs_source_id_file_hash'))
    )
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_runs_source_id'), ['source_id'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('honorific', sa.String(length=50), nullable=True),
    sa.Column('first_name', sa.String(length=200), nullable=True),
    sa.Column('middle_name', sa.String(length=200), nullable=True),
    sa.Column('last_name', sa.String(length=200), nullable=True),
    sa.Column('suffix', sa.String(length=50), nullable=True),
    sa.Column('full_name', sa.String(length=400), nullable=True),
    sa.Column('first_name_key', sa.String(length=200), nullable=True),
    sa.Column('last_name_key', sa.String(length=200), nullable=True),
    sa.Column('job_title', sa.String(length=300), nullable=True),
    sa.Column('company_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('lifecycle_stage', sa.String(length=20), nullable=False),
    sa.Column('lead_source', sa.String(length=200), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('merged_into_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_people_company_id_companies')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['people.id'], name=op.f('fk_people_merged_into_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_last_name_key_first_name_key'), ['last_name_key', 'first_name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_merged_into_id'), ['merged_into_id'], unique=False)

    op.create_table('blocking_keys',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_blocking_keys_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocking_keys')),
    sa.UniqueConstraint('person_id', 'rule', 'key', name=op.f('uq_blocking_keys_person_id_rule_key'))
    )
    with op.batch_alter_table('blocking_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocking_keys_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blocking_keys_rule_key'), ['rule', 'key'], unique=False)

    op.create_table('form_submissions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('form_id', sa.String(length=100), nullable=False),
    sa.Column('submission_key', sa.String(length=100), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('confirm_token_hash', sa.String(length=64), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'], name=op.f('fk_form_submissions_run_id_import_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions')),
    sa.UniqueConstraint('confirm_token_hash', name=op.f('uq_form_submissions_confirm_token_hash')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_form_submissions_submission_key'))
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submissions_form_id'), ['form_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submissions_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submissions_status_id'), ['status', 'id'], unique=False)

    op.create_table('match_candidates',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_a_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('person_b_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_a_id'], ['people.id'], name=op.f('fk_match_candidates_person_a_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_b_id'], ['people.id'], name=op.f('fk_match_candidates_person_b_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'], name=op.f('fk_match_candidates_run_id_import_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_candidates')),
    sa.UniqueConstraint('person_a_id', 'person_b_id', name=op.f('uq_match_candidates_person_a_id_person_b_id'))
    )
    with op.batch_alter_table('match_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_candidates_person_a_id'), ['person_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_candidates_person_b_id'), ['person_b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_candidates_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_candidates_status'), ['status'], unique=False)

    op.create_table('opportunities',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('stage', sa.String(length=50), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('expected_close', sa.Date(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.Column('company_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_opportunities_company_id_companies')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_opportunities_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunities_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_person_id'), ['person_id'], unique=False)

    op.create_table('raw_records',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('outcome_reason', sa.String(length=64), nullable=True),
    sa.Column('issues', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('company_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_raw_records_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_raw_records_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'], name=op.f('fk_raw_records_run_id_import_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_records')),
    sa.UniqueConstraint('run_id', 'row_number', name=op.f('uq_raw_records_run_id_row_number'))
    )
    with op.batch_alter_table('raw_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_raw_records_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_raw_records_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_raw_records_run_id_outcome'), ['run_id', 'outcome'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_activities_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_activities_raw_record_id_raw_records')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_activities_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('raw_record_id', 'kind', name=op.f('uq_activities_raw_record_id_kind'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_raw_record_id'), ['raw_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_source_id'), ['source_id'], unique=False)

    op.create_table('company_affiliations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('company_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job_title', sa.String(length=300), nullable=True),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('source_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_affiliations_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_company_affiliations_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_company_affiliations_raw_record_id_raw_records'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_company_affiliations_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_affiliations')),
    sa.UniqueConstraint('person_id', 'company_id', 'valid_from', name=op.f('uq_company_affiliations_person_id_company_id_valid_from'))
    )
    with op.batch_alter_table('company_affiliations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_affiliations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_affiliations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_affiliations_raw_record_id'), ['raw_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_affiliations_source_id'), ['source_id'], unique=False)

    op.create_table('contact_points',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('match_key', sa.String(length=320), nullable=True),
    sa.Column('original', sa.Text(), nullable=True),
    sa.Column('subtype', sa.String(length=32), nullable=True),
    sa.Column('is_valid', sa.Boolean(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('street', sa.Text(), nullable=True),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_contact_points_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_contact_points_raw_record_id_raw_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_points')),
    sa.UniqueConstraint('person_id', 'kind', 'value', name=op.f('uq_contact_points_person_id_kind_value'))
    )
    with op.batch_alter_table('contact_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_points_kind_match_key'), ['kind', 'match_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_points_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_points_postal_code'), ['postal_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_points_raw_record_id'), ['raw_record_id'], unique=False)

    op.create_table('custom_values',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('field_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['field_id'], ['custom_fields.id'], name=op.f('fk_custom_values_field_id_custom_fields')),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_custom_values_raw_record_id_raw_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_values')),
    sa.UniqueConstraint('field_id', 'entity_id', name=op.f('uq_custom_values_field_id_entity_id'))
    )
    with op.batch_alter_table('custom_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custom_values_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_values_field_id'), ['field_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_values_raw_record_id'), ['raw_record_id'], unique=False)

    op.create_table('merges',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('winner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('loser_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('candidate_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('moved', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('winner_before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['match_candidates.id'], name=op.f('fk_merges_candidate_id_match_candidates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['loser_id'], ['people.id'], name=op.f('fk_merges_loser_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['winner_id'], ['people.id'], name=op.f('fk_merges_winner_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merges'))
    )
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merges_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merges_loser_id'), ['loser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merges_winner_id'), ['winner_id'], unique=False)

    op.create_table('quarantine',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reason_codes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_quarantine_raw_record_id_raw_records')),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'], name=op.f('fk_quarantine_run_id_import_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine')),
    sa.UniqueConstraint('raw_record_id', name=op.f('uq_quarantine_raw_record_id'))
    )
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantine_run_id'), ['run_id'], unique=False)

    op.create_table('record_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('company_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(person_id IS NULL) <> (company_id IS NULL)', name=op.f('ck_record_links_one_target')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_record_links_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_record_links_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_record_links_raw_record_id_raw_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_links')),
    sa.UniqueConstraint('raw_record_id', name=op.f('uq_record_links_raw_record_id'))
    )
    with op.batch_alter_table('record_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_links_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_links_person_id'), ['person_id'], unique=False)

    op.create_table('value_provenance',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_value_provenance_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_value_provenance_raw_record_id_raw_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_value_provenance')),
    sa.UniqueConstraint('person_id', 'field', name=op.f('uq_value_provenance_person_id_field'))
    )
    with op.batch_alter_table('value_provenance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_provenance_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_value_provenance_raw_record_id'), ['raw_record_id'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('contact_point_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('lawful_basis', sa.String(length=32), nullable=True),
    sa.Column('captured_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('raw_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_point_id'], ['contact_points.id'], name=op.f('fk_consents_contact_point_id_contact_points'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_consents_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_record_id'], ['raw_records.id'], name=op.f('fk_consents_raw_record_id_raw_records')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_consents_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_contact_point_id'), ['contact_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_person_id_channel'), ['person_id', 'channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_raw_record_id'), ['raw_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_source_id'))
        batch_op.drop_index(batch_op.f('ix_consents_raw_record_id'))
        batch_op.drop_index(batch_op.f('ix_consents_person_id_channel'))
        batch_op.drop_index(batch_op.f('ix_consents_person_id'))
        batch_op.drop_index(batch_op.f('ix_consents_contact_point_id'))

    op.drop_table('consents')
    with op.batch_alter_table('value_provenance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_value_provenance_raw_record_id'))
        batch_op.drop_index(batch_op.f('ix_value_provenance_person_id'))

    op.drop_table('value_provenance')
    with op.batch_alter_table('record_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_links_person_id'))
        batch_op.drop_index(batch_op.f('ix_record_links_company_id'))

    op.drop_table('record_links')
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantine_run_id'))

    op.drop_table('quarantine')
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merges_winner_id'))
        batch_op.drop_index(batch_op.f('ix_merges_loser_id'))
        batch_op.drop_index(batch_op.f('ix_merges_candidate_id'))

    op.drop_table('merges')
    with op.batch_alter_table('custom_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_custom_values_raw_record_id'))
        batch_op.drop_index(batch_op.f('ix_custom_values_field_id'))
        batch_op.drop_index(batch_op.f('ix_custom_values_entity_id'))

    op.drop_table('custom_values')
    with op.batch_alter_table('contact_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_points_raw_record_id'))
        batch_op.drop_index(batch_op.f('ix_contact_points_postal_code'))
        batch_op.drop_index(batch_op.f('ix_contact_points_person_id'))
        batch_op.drop_index(batch_op.f('ix_contact_points_kind_match_key'))

    op.drop_table('contact_points')
    with op.batch_alter_table('company_affiliations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_affiliations_source_id'))
        batch_op.drop_index(batch_op.f('ix_company_affiliations_raw_record_id'))
        batch_op.drop_index(batch_op.f('ix_company_affiliations_person_id'))
        batch_op.drop_index(batch_op.f('ix_company_affiliations_company_id'))

    op.drop_table('company_affiliations')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_source_id'))
        batch_op.drop_index(batch_op.f('ix_activities_raw_record_id'))
        batch_op.drop_index(batch_op.f('ix_activities_person_id'))

    op.drop_table('activities')
    with op.batch_alter_table('raw_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_raw_records_run_id_outcome'))
        batch_op.drop_index(batch_op.f('ix_raw_records_person_id'))
        batch_op.drop_index(batch_op.f('ix_raw_records_company_id'))

    op.drop_table('raw_records')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunities_person_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_company_id'))

    op.drop_table('opportunities')
    with op.batch_alter_table('match_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_candidates_status'))
        batch_op.drop_index(batch_op.f('ix_match_candidates_run_id'))
        batch_op.drop_index(batch_op.f('ix_match_candidates_person_b_id'))
        batch_op.drop_index(batch_op.f('ix_match_candidates_person_a_id'))

    op.drop_table('match_candidates')
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submissions_status_id'))
        batch_op.drop_index(batch_op.f('ix_form_submissions_run_id'))
        batch_op.drop_index(batch_op.f('ix_form_submissions_form_id'))

    op.drop_table('form_submissions')
    with op.batch_alter_table('blocking_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocking_keys_rule_key'))
        batch_op.drop_index(batch_op.f('ix_blocking_keys_person_id'))

    op.drop_table('blocking_keys')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_people_last_name_key_first_name_key'))
        batch_op.drop_index(batch_op.f('ix_people_company_id'))

    op.drop_table('people')
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_runs_source_id'))

    op.drop_table('import_runs')
    op.drop_table('users')
    op.drop_table('suppressions')
    op.drop_table('store_meta')
    op.drop_table('sources')
    op.drop_table('match_models')
    with op.batch_alter_table('enrichments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrichments_entity_entity_id'))

    op.drop_table('enrichments')
    op.drop_table('custom_fields')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companies_phone'))
        batch_op.drop_index(batch_op.f('ix_companies_match_key'))
        batch_op.drop_index(batch_op.f('ix_companies_domain'))

    op.drop_table('companies')
    with op.batch_alter_table('census_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_census_figures_postal_code'))

    op.drop_table('census_figures')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')

import { sql, type Kysely } from 'kysely'

// Onboarding: applicant status links, review trail, brand status reasons, one-time set-password links
// for new brand staff, and the operator audit log (append-only).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table brand_applications
      add column brand_name text check (length(brand_name) between 1 and 100),
      add column status_token_hash text unique,
      add column reviewed_by uuid references users(id),
      add column brand_id uuid references brands(id)`.execute(db)
  await sql`create index brand_applications_status_idx on brand_applications (status, created_at desc)`.execute(db)
  await sql`
    alter table brand_applications
      add constraint brand_applications_reject_reason_chk
      check (status <> 'rejected' or (reject_reason is not null and length(btrim(reject_reason)) > 0))`.execute(db)

  await sql`
    alter table brands
      add column status_reason text,
      add column status_changed_at timestamptz,
      add column deposit_amount_minor integer check (deposit_amount_minor > 0),
      add column deposit_currency char(3),
      add column deposit_payment_id text`.execute(db)

  // A brand staff account created at approval starts with no usable password; the operator hands
  // the applicant a one-time link (only its hash is stored) to choose one.
  await sql`
    create table password_setup_tokens (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index password_setup_tokens_user_idx on password_setup_tokens (user_id)`.execute(db)

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      actor_id uuid references users(id),
      action text not null check (action ~ '^[a-z_]+\\.[a-z_]+$'),
      target_type text not null,
      target_id text not null,
      details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index audit_log_created_idx on audit_log (created_at desc, id desc)`.execute(db)
  await sql`create index audit_log_target_idx on audit_log (target_type, target_id)`.execute(db)
  await sql`create index audit_log_actor_idx on audit_log (actor_id, created_at desc)`.execute(db)
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$`.execute(db)
  await sql`
    create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists audit_log`.execute(db)
  await sql`drop function if exists audit_log_append_only()`.execute(db)
  await sql`drop table if exists password_setup_tokens`.execute(db)
  await sql`alter table brands drop column if exists status_reason, drop column if exists status_changed_at,
    drop column if exists deposit_amount_minor, drop column if exists deposit_currency, drop column if exists deposit_payment_id`.execute(
    db,
  )
  await sql`alter table brand_applications drop constraint if exists brand_applications_reject_reason_chk`.execute(db)
  await sql`drop index if exists brand_applications_status_idx`.execute(db)
  await sql`alter table brand_applications drop column if exists brand_name, drop column if exists status_token_hash, drop column if exists reviewed_by,
    drop column if exists brand_id`.execute(db)
}

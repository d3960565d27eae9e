import { sql, type Kysely } from 'kysely'

// Payments through a provider (Stripe Checkout, or the labelled local test provider), the provider
// events already applied (idempotency by event id) and refunds (idempotency by key).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table payments (
      id uuid primary key default gen_random_uuid(),
      purpose text not null check (purpose in ('brand_deposit', 'order')),
      reference_id text not null check (length(reference_id) between 1 and 200),
      payer_user_id uuid not null references users(id),
      amount_minor bigint not null check (amount_minor > 0),
      currency char(3) not null,
      description text not null default '',
      provider text not null check (provider in ('stripe', 'test')),
      provider_ref text unique,
      provider_payment_ref text,
      success_path text not null check (success_path ~ '^/[^/]'),
      cancel_path text not null check (cancel_path ~ '^/[^/]'),
      status text not null default 'pending'
        check (status in ('pending', 'succeeded', 'failed', 'expired', 'refunded', 'partially_refunded')),
      refunded_minor bigint not null default 0 check (refunded_minor >= 0),
      paid_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (refunded_minor <= amount_minor)
    )`.execute(db)
  await sql`create index payments_reference_idx on payments (purpose, reference_id, created_at desc)`.execute(db)
  await sql`create index payments_payer_idx on payments (payer_user_id)`.execute(db)

  await sql`
    create table payment_events (
      id bigint generated always as identity primary key,
      provider_event_id text not null unique,
      payment_id uuid not null references payments(id),
      type text not null,
      received_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index payment_events_payment_idx on payment_events (payment_id)`.execute(db)

  await sql`
    create table payment_refunds (
      id uuid primary key default gen_random_uuid(),
      payment_id uuid not null references payments(id),
      amount_minor bigint not null check (amount_minor > 0),
      idempotency_key text not null unique check (length(idempotency_key) between 1 and 255),
      reason text,
      provider_ref text,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index payment_refunds_payment_idx on payment_refunds (payment_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists payment_refunds, payment_events, payments`.execute(db)
}

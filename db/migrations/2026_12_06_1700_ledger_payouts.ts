import { sql, type Kysely } from 'kysely'

// Money out and the books that follow every fen:
// - a double-entry journal (ledger_entries + ledger_postings). Postings are signed (debit > 0, credit < 0);
//   a deferred constraint trigger refuses to commit an entry whose postings do not sum to zero, and
//   both tables are append-only. Balances are sums of postings, never stored.
// - connected accounts (Stripe Connect Express, or the manual bank-transfer provider) for brands and resellers,
//   the Connect events already applied, payouts (one per settled brand session, or one per withdrawal),
//   and deposit actions (deductions, exit refunds, automatic refunds of duplicate deposits).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ledger_entries (
      id bigint generated always as identity primary key,
      reference text not null unique check (length(reference) between 1 and 200),
      kind text not null check (length(kind) between 1 and 40),
      memo text not null default '',
      currency char(3) not null,
      occurred_at timestamptz not null,
      created_at timestamptz not null default now(),
      unique (id, currency)
    )`.execute(db)
  await sql`create index ledger_entries_occurred_idx on ledger_entries (occurred_at)`.execute(db)

  await sql`
    create table ledger_postings (
      id bigint generated always as identity primary key,
      entry_id bigint not null,
      account text not null check (account in (
        'provider_cash', 'unapplied_receipts', 'refunds_owed', 'brand_held', 'brand_payable', 'payouts_in_transit',
        'deposits_held', 'reseller_pending', 'reseller_available', 'commission_income', 'deposit_deductions', 'other_income')),
      party_id uuid,
      session_id uuid references clearance_sessions(id),
      amount_minor bigint not null check (amount_minor <> 0),
      currency char(3) not null,
      foreign key (entry_id, currency) references ledger_entries (id, currency)
    )`.execute(db)
  await sql`create index ledger_postings_entry_idx on ledger_postings (entry_id)`.execute(db)
  await sql`create index ledger_postings_account_idx on ledger_postings (account, party_id)`.execute(db)
  await sql`create index ledger_postings_session_idx on ledger_postings (session_id) where session_id is not null`.execute(
    db,
  )

  // Checked at commit, once every posting of the transaction is in: each touched entry sums to zero and has two sides.
  await sql`
    create function ledger_entry_must_balance() returns trigger language plpgsql as $$
    declare
      total bigint;
      debits int;
      credits int;
      eid bigint;
    begin
      if tg_table_name = 'ledger_entries' then eid := new.id; else eid := new.entry_id; end if;
      select coalesce(sum(amount_minor), 0), count(*) filter (where amount_minor > 0), count(*) filter (where amount_minor < 0)
        into total, debits, credits from ledger_postings where entry_id = eid;
      if total <> 0 or debits = 0 or credits = 0 then
        raise exception 'ledger entry % does not balance: debits − credits = % (% debit and % credit postings)', eid, total, debits, credits
          using errcode = '23514';
      end if;
      return null;
    end $$`.execute(db)
  await sql`
    create constraint trigger ledger_postings_balance after insert on ledger_postings
    deferrable initially deferred for each row execute function ledger_entry_must_balance()`.execute(db)
  await sql`
    create constraint trigger ledger_entries_balance after insert on ledger_entries
    deferrable initially deferred for each row execute function ledger_entry_must_balance()`.execute(db)
  await sql`
    create function ledger_append_only() returns trigger language plpgsql as $$
    begin raise exception 'the journal is append-only: post a correcting entry instead' using errcode = '23514'; end $$`.execute(
    db,
  )
  await sql`create trigger ledger_entries_append_only before update or delete on ledger_entries for each row execute function ledger_append_only()`.execute(
    db,
  )
  await sql`create trigger ledger_postings_append_only before update or delete on ledger_postings for each row execute function ledger_append_only()`.execute(
    db,
  )

  await sql`
    create table payout_accounts (
      id uuid primary key default gen_random_uuid(),
      owner_type text not null check (owner_type in ('brand', 'reseller')),
      owner_id uuid not null,
      provider text not null check (provider in ('stripe', 'manual')),
      stripe_account_id text unique,
      status text not null default 'onboarding' check (status in ('onboarding', 'restricted', 'enabled')),
      payouts_enabled boolean not null default false,
      details_submitted boolean not null default false,
      requirements text[] not null default '{}',
      disabled_reason text,
      last_event_at timestamptz,
      bank_holder text check (bank_holder is null or char_length(bank_holder) between 1 and 100),
      bank_name text check (bank_name is null or char_length(bank_name) between 1 and 100),
      bank_account text check (bank_account is null or bank_account ~ '^[0-9 -]{6,40}$'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (owner_type, owner_id),
      check ((provider = 'stripe') = (stripe_account_id is not null))
    )`.execute(db)

  await sql`
    create table connect_events (
      provider_event_id text primary key,
      stripe_account_id text not null,
      type text not null,
      created_at_provider timestamptz not null,
      applied boolean not null,
      received_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table payouts (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('brand_session', 'reseller_withdrawal')),
      payee_type text not null check (payee_type in ('brand', 'reseller')),
      payee_id uuid not null,
      session_id uuid references clearance_sessions(id),
      settlement_id uuid unique references settlements(id),
      amount_minor bigint not null check (amount_minor >= 0),
      currency char(3) not null,
      status text not null default 'due' check (status in ('due', 'sent', 'failed', 'netted')),
      provider text check (provider in ('stripe', 'manual')),
      destination text,
      transfer_group text not null,
      attempts integer not null default 0 check (attempts >= 0),
      provider_transfer_id text unique,
      error text,
      exported_at timestamptz,
      sent_at timestamptz,
      sent_by uuid references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null default now(),
      check ((kind = 'brand_session') = (session_id is not null)),
      check (status <> 'netted' or amount_minor = 0)
    )`.execute(db)
  await sql`create unique index payouts_brand_session_idx on payouts (payee_id, session_id) where kind = 'brand_session'`.execute(
    db,
  )
  await sql`create index payouts_status_idx on payouts (status, created_at)`.execute(db)
  await sql`create index payouts_payee_idx on payouts (payee_type, payee_id, created_at desc)`.execute(db)

  await sql`
    create table deposit_actions (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      kind text not null check (kind in ('deduction', 'netting', 'exit_refund', 'duplicate_refund')),
      amount_minor bigint not null check (amount_minor > 0),
      currency char(3) not null,
      reason text not null check (char_length(reason) between 1 and 500),
      payment_id uuid references payments(id),
      payment_refund_id uuid references payment_refunds(id),
      actor_id uuid references users(id),
      created_at timestamptz not null
    )`.execute(db)
  await sql`create index deposit_actions_brand_idx on deposit_actions (brand_id, created_at)`.execute(db)
  await sql`create unique index deposit_actions_exit_idx on deposit_actions (brand_id) where kind = 'exit_refund'`.execute(
    db,
  )
  await sql`create unique index deposit_actions_duplicate_idx on deposit_actions (payment_id) where kind = 'duplicate_refund'`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists deposit_actions, payouts, connect_events, payout_accounts, ledger_postings, ledger_entries`.execute(
    db,
  )
  await sql`drop function if exists ledger_entry_must_balance(), ledger_append_only()`.execute(db)
}

import { sql, type Kysely } from 'kysely'

// Membership: the operator-editable VIP table, invitation codes, per-member membership facts,
// the append-only growth ledger (成长值) with its idempotency tables, and monthly retention runs.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table vip_tiers (
      level smallint primary key check (level between 0 and 5),
      threshold_points integer not null check (threshold_points >= 0),
      discount_bps integer not null check (discount_bps between 0 and 5000),
      keep_points_per_month integer check (keep_points_per_month >= 0),
      updated_at timestamptz not null default now(),
      check ((level = 0) = (keep_points_per_month is null)),
      check (level <> 0 or (threshold_points = 0 and discount_bps = 0))
    )`.execute(db)
  await sql`
    insert into vip_tiers (level, threshold_points, discount_bps, keep_points_per_month) values
      (0, 0, 0, null), (1, 50, 300, 0), (2, 200, 500, 50), (3, 600, 800, 120), (4, 1500, 1000, 250), (5, 4000, 1200, 500)`.execute(
    db,
  )

  // Every operator edit of the table, with the operator's note (an admin-action record).
  await sql`
    create table vip_tier_changes (
      id bigserial primary key,
      operator_id uuid not null references users(id),
      before jsonb not null,
      after jsonb not null,
      note text not null check (length(note) between 1 and 500),
      created_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table invitation_codes (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[A-Z0-9]{4,16}$'),
      kind text not null check (kind in ('personal', 'campaign')),
      owner_id uuid references users(id),
      max_uses integer check (max_uses > 0),
      uses integer not null default 0 check (uses >= 0),
      expires_at timestamptz,
      note text not null default '',
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check ((kind = 'personal') = (owner_id is not null)),
      check (max_uses is null or uses <= max_uses)
    )`.execute(db)
  await sql`create unique index invitation_codes_owner_idx on invitation_codes (owner_id) where kind = 'personal'`.execute(
    db,
  )

  // One row per member who registered through this feature or earned points: who invited them,
  // with which code, and since when they hold their current level (retention skips a level reached mid-month).
  await sql`
    create table memberships (
      member_id uuid primary key references users(id),
      invited_by uuid references users(id),
      invitation_code_id uuid references invitation_codes(id),
      level_since timestamptz not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index memberships_invited_by_idx on memberships (invited_by)`.execute(db)
  await sql`create index memberships_code_idx on memberships (invitation_code_id)`.execute(db)

  await sql`
    create table growth_ledger (
      id bigserial primary key,
      member_id uuid not null references users(id),
      delta integer not null,
      reason text not null check (reason in ('purchase', 'refund', 'invite_bonus', 'retention_reset', 'operator_grant')),
      order_id uuid,
      refund_id text,
      invitee_id uuid references users(id),
      retention_month date,
      operator_id uuid references users(id),
      note text not null default '',
      created_at timestamptz not null default now(),
      check (reason <> 'purchase' or order_id is not null),
      check (reason <> 'refund' or refund_id is not null),
      check (reason <> 'invite_bonus' or (order_id is not null and invitee_id is not null)),
      check (reason <> 'retention_reset' or retention_month is not null)
    )`.execute(db)
  await sql`create index growth_ledger_member_idx on growth_ledger (member_id, created_at, id)`.execute(db)
  await sql`create unique index growth_ledger_purchase_idx on growth_ledger (order_id) where reason = 'purchase'`.execute(
    db,
  )
  await sql`create unique index growth_ledger_refund_idx on growth_ledger (refund_id) where reason = 'refund'`.execute(
    db,
  )
  await sql`create unique index growth_ledger_invitee_idx on growth_ledger (invitee_id) where reason = 'invite_bonus'`.execute(
    db,
  )
  await sql`create unique index growth_ledger_retention_idx on growth_ledger (member_id, retention_month) where reason = 'retention_reset'`.execute(
    db,
  )
  await sql`
    create function growth_ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'growth_ledger is append-only (% refused)', tg_op using errcode = 'restrict_violation';
    end $$`.execute(db)
  await sql`
    create trigger growth_ledger_append_only before update or delete on growth_ledger
    for each row execute function growth_ledger_append_only()`.execute(db)

  // What an order was credited with and how much of it has been refunded, so revocation takes back
  // exactly the points no longer backed by paid goods, and a zero-point order still counts as paid.
  await sql`
    create table growth_order_credits (
      order_id uuid primary key,
      member_id uuid not null references users(id),
      paid_goods_minor bigint not null check (paid_goods_minor >= 0),
      points_credited integer not null check (points_credited >= 0),
      refunded_goods_minor bigint not null default 0 check (refunded_goods_minor >= 0),
      points_revoked integer not null default 0 check (points_revoked >= 0),
      created_at timestamptz not null,
      check (refunded_goods_minor <= paid_goods_minor),
      check (points_revoked <= points_credited)
    )`.execute(db)
  await sql`create index growth_order_credits_member_idx on growth_order_credits (member_id, created_at)`.execute(db)
  await sql`
    create table growth_refunds (
      refund_id text primary key,
      order_id uuid not null references growth_order_credits(order_id),
      refunded_goods_minor bigint not null check (refunded_goods_minor >= 0),
      points_revoked integer not null check (points_revoked >= 0),
      created_at timestamptz not null
    )`.execute(db)

  // Monthly retention (保级): one run per Shanghai calendar month, one judgement per member (the marker).
  await sql`
    create table retention_runs (
      month date primary key check (extract(day from month) = 1),
      started_at timestamptz not null,
      finished_at timestamptz,
      judged integer not null default 0,
      dropped integer not null default 0
    )`.execute(db)
  await sql`
    create table retention_judgements (
      month date not null references retention_runs(month),
      member_id uuid not null references users(id),
      from_level smallint not null,
      to_level smallint not null,
      earned_points integer not null,
      keep_points integer,
      judged_at timestamptz not null,
      primary key (month, member_id)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'retention_judgements',
    'retention_runs',
    'growth_refunds',
    'growth_order_credits',
    'growth_ledger',
    'memberships',
    'invitation_codes',
    'vip_tier_changes',
    'vip_tiers',
  ]) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db)
  }
  await sql`drop function if exists growth_ledger_append_only()`.execute(db)
}

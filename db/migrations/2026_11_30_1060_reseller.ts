import { sql, type Kysely } from 'kysely'

// Reseller forwarding: profiles (name, contact, default markup), retail prices per item,
// share links (one item or a list) with view counters, and revocation.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reseller_profiles (
      user_id uuid primary key references users(id) on delete cascade,
      display_name text not null check (length(display_name) between 1 and 40),
      wechat_id text check (wechat_id ~ '^[A-Za-z][-_A-Za-z0-9]{5,19}$'),
      phone text check (phone ~ '^\\+?[0-9]{6,20}$'),
      markup_kind text check (markup_kind in ('percent', 'fixed')),
      markup_value integer check (markup_value >= 0),
      markup_rounding text not null default 'none' check (markup_rounding in ('none', 'yuan', 'nine', 'dot_nine')),
      updated_at timestamptz not null default now(),
      check ((markup_kind is null) = (markup_value is null))
    )`.execute(db)

  // The member's current retail price for a session item (what new cards use).
  await sql`
    create table reseller_prices (
      user_id uuid not null references users(id) on delete cascade,
      session_item_id uuid not null references session_items(id) on delete cascade,
      retail_price_minor integer not null check (retail_price_minor > 0),
      currency char(3) not null default 'CNY',
      updated_at timestamptz not null default now(),
      primary key (user_id, session_item_id)
    )`.execute(db)

  await sql`
    create table share_links (
      id uuid primary key default gen_random_uuid(),
      token text not null unique check (length(token) >= 22),
      user_id uuid not null references users(id) on delete cascade,
      session_id uuid not null references clearance_sessions(id) on delete cascade,
      kind text not null check (kind in ('item', 'list')),
      views integer not null default 0 check (views >= 0),
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index share_links_user_idx on share_links (user_id, created_at desc)`.execute(db)

  await sql`
    create table share_link_items (
      share_link_id uuid not null references share_links(id) on delete cascade,
      session_item_id uuid not null references session_items(id) on delete cascade,
      position integer not null default 0,
      retail_price_minor integer not null check (retail_price_minor > 0),
      currency char(3) not null default 'CNY',
      views integer not null default 0 check (views >= 0),
      primary key (share_link_id, session_item_id)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['share_link_items', 'share_links', 'reseller_prices', 'reseller_profiles'])
    await db.schema.dropTable(t).ifExists().execute()
}

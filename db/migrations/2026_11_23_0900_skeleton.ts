import { sql, type Kysely } from 'kysely'

// The skeleton's tables: people and roles, brands, catalog, clearance sessions and their stock.
// Money is integer minor units (fen) next to a currency; every timestamp is timestamptz (UTC).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists citext`.execute(db)

  await sql`
    create table brand_applications (
      id uuid primary key default gen_random_uuid(),
      company_name text not null check (length(company_name) between 1 and 200),
      contact_name text not null,
      contact_phone text not null,
      contact_email citext not null,
      annual_sales_minor bigint not null check (annual_sales_minor >= 0),
      currency char(3) not null default 'CNY',
      offline_stores integer not null check (offline_stores >= 0),
      categories text[] not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      reject_reason text,
      reviewed_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table brands (
      id uuid primary key default gen_random_uuid(),
      application_id uuid references brand_applications(id),
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
      name text not null,
      name_en text not null,
      status text not null default 'awaiting_deposit'
        check (status in ('awaiting_deposit', 'live', 'suspended')),
      commission_bps integer not null default 1000 check (commission_bps between 0 and 10000),
      deposit_paid_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email citext unique,
      phone text unique check (phone ~ '^\\+?[0-9]{6,20}$'),
      password_hash text not null,
      role text not null check (role in ('operator', 'brand_staff', 'member')),
      brand_id uuid references brands(id),
      display_name text not null,
      vip_level smallint not null default 0 check (vip_level between 0 and 5),
      created_at timestamptz not null default now(),
      check (email is not null or phone is not null),
      check ((role = 'brand_staff') = (brand_id is not null))
    )`.execute(db)

  await sql`
    create table user_sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db)
  await sql`create index user_sessions_user_idx on user_sessions (user_id)`.execute(db)

  await sql`
    create table sign_in_failures (
      id bigint generated always as identity primary key,
      throttle_key text not null,
      failed_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index sign_in_failures_key_idx on sign_in_failures (throttle_key, failed_at)`.execute(db)

  await sql`
    create table products (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      title text not null check (length(title) between 1 and 200),
      title_en text not null default '',
      description text not null default '',
      category text not null
        check (category in ('womens', 'mens', 'kids', 'shoes_bags', 'jewellery')),
      tag_price_minor integer not null check (tag_price_minor > 0),
      currency char(3) not null default 'CNY',
      tag_cut boolean not null default false,
      image_seed text not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index products_brand_idx on products (brand_id)`.execute(db)

  await sql`
    create table skus (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products(id) on delete cascade,
      size text not null,
      colour text not null,
      barcode text not null unique,
      stock_on_hand integer not null default 0 check (stock_on_hand >= 0),
      unique (product_id, size, colour)
    )`.execute(db)

  await sql`
    create table clearance_sessions (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      title text not null check (length(title) between 1 and 120),
      title_en text not null default '',
      banner_seed text not null,
      status text not null default 'draft' check (status in ('draft', 'scheduled', 'cancelled')),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      after_sale_deadline_at timestamptz not null,
      created_at timestamptz not null default now(),
      check (ends_at = starts_at + interval '48 hours'),
      check (after_sale_deadline_at >= ends_at)
    )`.execute(db)
  await sql`create index clearance_sessions_window_idx on clearance_sessions (starts_at, ends_at)`.execute(db)

  // One row per product in a session; its SKUs' stock is in session_item_skus.
  await sql`
    create table session_items (
      id uuid primary key default gen_random_uuid(),
      session_id uuid not null references clearance_sessions(id) on delete cascade,
      product_id uuid not null references products(id),
      base_price_minor integer not null check (base_price_minor > 0),
      currency char(3) not null default 'CNY',
      min_retail_price_minor integer check (min_retail_price_minor > 0),
      per_member_cap integer check (per_member_cap > 0),
      position integer not null default 0,
      unique (session_id, product_id)
    )`.execute(db)

  await sql`
    create table session_item_skus (
      id uuid primary key default gen_random_uuid(),
      session_item_id uuid not null references session_items(id) on delete cascade,
      sku_id uuid not null references skus(id),
      allocated integer not null check (allocated >= 0),
      available integer not null check (available >= 0 and available <= allocated),
      unique (session_item_id, sku_id)
    )`.execute(db)

  // What the boundary job observed: the exact moment a session went live and ended.
  await sql`
    create table session_events (
      session_id uuid not null references clearance_sessions(id) on delete cascade,
      kind text not null check (kind in ('started', 'ended')),
      scheduled_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      primary key (session_id, kind)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'session_events',
    'session_item_skus',
    'session_items',
    'clearance_sessions',
    'skus',
    'products',
    'sign_in_failures',
    'user_sessions',
    'users',
    'brands',
    'brand_applications',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

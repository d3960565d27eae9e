import { sql, type Kysely } from 'kysely'

// A reseller's customers order on her pages without an account. A customer order wraps one checkout
// (placed on the reseller's behalf: the brand's goods value is her own price) with the customer's
// contact, a private page token and the retail prices paid. Caps count per mobile number.
// Her earnings are postings in the double-entry journal (reseller_pending / reseller_available).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Customers pay without an account: the payer of a customer payment is nobody's user.
  await sql`alter table payments alter column payer_user_id drop not null`.execute(db)
  await sql`alter table payments drop constraint payments_purpose_check`.execute(db)
  await sql`alter table payments add constraint payments_purpose_check check (purpose in ('brand_deposit', 'order', 'customer_order'))`.execute(
    db,
  )

  await sql`
    create table customer_orders (
      id uuid primary key default gen_random_uuid(),
      checkout_id uuid not null unique references checkouts(id),
      reseller_id uuid not null references users(id),
      token text not null unique check (length(token) >= 32),
      name text not null check (char_length(name) between 1 and 60),
      phone text not null check (phone ~ '^\\+?[0-9]{6,20}$'),
      email text check (email is null or char_length(email) <= 254),
      region text not null check (char_length(region) between 1 and 120),
      line text not null check (char_length(line) between 1 and 200),
      share_link_id uuid references share_links(id) on delete set null,
      source text not null check (source in ('share', 'shop')),
      client_key text not null check (char_length(client_key) between 1 and 128),
      idempotency_key text not null unique check (char_length(idempotency_key) between 8 and 128),
      retail_total_minor integer not null check (retail_total_minor > 0),
      currency char(3) not null default 'CNY',
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index customer_orders_reseller_idx on customer_orders (reseller_id, created_at desc)`.execute(db)
  await sql`create index customer_orders_phone_idx on customer_orders (phone, created_at desc)`.execute(db)
  await sql`create index customer_orders_client_idx on customer_orders (client_key, created_at desc)`.execute(db)
  await sql`create index customer_orders_link_idx on customer_orders (share_link_id) where share_link_id is not null`.execute(
    db,
  )

  // The retail price of each line (what the customer paid per unit); the reseller's own price is order_lines.unit_price_minor.
  await sql`
    create table customer_order_lines (
      order_line_id uuid primary key references order_lines(id),
      customer_order_id uuid not null references customer_orders(id),
      retail_unit_minor integer not null check (retail_unit_minor > 0),
      own_unit_minor integer not null check (own_unit_minor > 0 and own_unit_minor <= retail_unit_minor)
    )`.execute(db)
  await sql`create index customer_order_lines_order_idx on customer_order_lines (customer_order_id)`.execute(db)

  // Per-customer caps: the item's per-member cap, counted per mobile number.
  await sql`
    create table customer_sku_takes (
      phone text not null,
      session_item_sku_id uuid not null references session_item_skus(id) on delete cascade,
      taken integer not null check (taken >= 0),
      primary key (phone, session_item_sku_id)
    )`.execute(db)

  // Items a customer could not buy because the reseller's price broke a floor at order time: she is told.
  await sql`
    create table reseller_price_alerts (
      reseller_id uuid not null references users(id) on delete cascade,
      session_item_id uuid not null references session_items(id) on delete cascade,
      reason text not null check (reason in ('below_min_retail', 'below_own_price')),
      retail_price_minor integer not null,
      refused integer not null default 1 check (refused > 0),
      last_at timestamptz not null,
      primary key (reseller_id, session_item_id)
    )`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['reseller_price_alerts', 'customer_sku_takes', 'customer_order_lines', 'customer_orders']) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db)
  }
  await sql`alter table payments drop constraint payments_purpose_check`.execute(db)
  await sql`alter table payments add constraint payments_purpose_check check (purpose in ('brand_deposit', 'order'))`.execute(
    db,
  )
}

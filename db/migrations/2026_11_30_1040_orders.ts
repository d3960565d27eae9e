import { sql, type Kysely } from 'kysely'

// Orders: address book, cart, checkouts (one payment) → orders (one per brand) → lines,
// per-member cap counters, refunds, after-sales requests and settlement statements.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table addresses (
      id uuid primary key default gen_random_uuid(),
      member_id uuid not null references users(id) on delete cascade,
      kind text not null check (kind in ('own', 'customer')),
      recipient text not null check (length(recipient) between 1 and 60),
      phone text not null check (phone ~ '^\\+?[0-9 -]{6,20}$'),
      region text not null check (length(region) between 1 and 120),
      line text not null check (length(line) between 1 and 200),
      archived_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index addresses_member_idx on addresses (member_id) where archived_at is null`.execute(db)

  await sql`
    create table cart_lines (
      member_id uuid not null references users(id) on delete cascade,
      session_item_sku_id uuid not null references session_item_skus(id) on delete cascade,
      quantity integer not null check (quantity between 1 and 999),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (member_id, session_item_sku_id)
    )`.execute(db)

  // What a member has taken of a capped SKU (pending or paid); the conditional upsert enforces the cap.
  await sql`
    create table member_sku_takes (
      member_id uuid not null references users(id) on delete cascade,
      session_item_sku_id uuid not null references session_item_skus(id) on delete cascade,
      taken integer not null check (taken >= 0),
      primary key (member_id, session_item_sku_id)
    )`.execute(db)

  await sql`
    create table checkouts (
      id uuid primary key default gen_random_uuid(),
      member_id uuid not null references users(id),
      status text not null default 'pending_payment'
        check (status in ('pending_payment', 'paid', 'cancelled', 'expired')),
      total_minor bigint not null check (total_minor >= 0),
      currency char(3) not null default 'CNY',
      address_id uuid references addresses(id),
      ship_to jsonb not null,
      drop_ship boolean not null default false,
      expires_at timestamptz not null,
      payment_id uuid,
      paid_at timestamptz,
      closed_at timestamptz,
      late_payment_id uuid,
      late_paid_at timestamptz,
      late_refund_id text,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index checkouts_member_idx on checkouts (member_id, created_at desc)`.execute(db)

  await sql`
    create table orders (
      id uuid primary key default gen_random_uuid(),
      checkout_id uuid not null references checkouts(id),
      member_id uuid not null references users(id),
      brand_id uuid not null references brands(id),
      status text not null default 'pending_payment'
        check (status in ('pending_payment', 'paid', 'shipped', 'received', 'completed', 'cancelled', 'refunded')),
      goods_minor bigint not null check (goods_minor >= 0),
      refunded_minor bigint not null default 0 check (refunded_minor >= 0 and refunded_minor <= goods_minor),
      currency char(3) not null default 'CNY',
      ship_to jsonb not null,
      drop_ship boolean not null default false,
      paid_at timestamptz,
      ship_by_at timestamptz,
      carrier text,
      tracking_no text,
      shipped_at timestamptz,
      late_flagged_at timestamptz,
      received_at timestamptz,
      completed_at timestamptz,
      cancelled_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index orders_member_idx on orders (member_id, created_at desc)`.execute(db)
  await sql`create index orders_brand_idx on orders (brand_id, status, ship_by_at)`.execute(db)
  await sql`create index orders_checkout_idx on orders (checkout_id)`.execute(db)

  await sql`
    create table order_lines (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders(id) on delete cascade,
      session_id uuid not null references clearance_sessions(id),
      session_item_sku_id uuid not null references session_item_skus(id),
      sku_id uuid not null references skus(id),
      product_id uuid not null references products(id),
      title text not null,
      size text not null,
      colour text not null,
      quantity integer not null check (quantity > 0),
      unit_price_minor integer not null check (unit_price_minor >= 0),
      refunded_quantity integer not null default 0 check (refunded_quantity >= 0 and refunded_quantity <= quantity),
      refunded_minor bigint not null default 0 check (refunded_minor >= 0)
    )`.execute(db)
  await sql`create index order_lines_order_idx on order_lines (order_id)`.execute(db)
  await sql`create index order_lines_session_idx on order_lines (session_id)`.execute(db)

  await sql`
    create table after_sale_requests (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders(id),
      member_id uuid not null references users(id),
      kind text not null check (kind in ('refund', 'return_refund')),
      reason text not null check (length(reason) between 1 and 500),
      photos text[] not null default '{}',
      status text not null default 'open' check (status in ('open', 'approved', 'rejected')),
      decision_note text,
      decided_by uuid references users(id),
      decided_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index after_sale_requests_status_idx on after_sale_requests (status, created_at)`.execute(db)
  await sql`create unique index after_sale_requests_one_open on after_sale_requests (order_id) where status = 'open'`.execute(
    db,
  )

  await sql`
    create table order_refunds (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders(id),
      after_sale_request_id uuid references after_sale_requests(id),
      amount_minor bigint not null check (amount_minor > 0),
      goods_minor bigint not null check (goods_minor >= 0),
      currency char(3) not null default 'CNY',
      lines jsonb not null,
      reason text not null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      provider_refund_id text,
      error text,
      created_at timestamptz not null default now(),
      settled_at timestamptz
    )`.execute(db)
  await sql`create index order_refunds_order_idx on order_refunds (order_id)`.execute(db)

  await sql`
    create table settlements (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      session_id uuid not null references clearance_sessions(id),
      paid_minor bigint not null,
      refunded_minor bigint not null,
      commission_bps integer not null,
      commission_minor bigint not null,
      payable_minor bigint not null,
      currency char(3) not null default 'CNY',
      order_count integer not null,
      created_at timestamptz not null default now(),
      unique (brand_id, session_id)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'settlements',
    'order_refunds',
    'after_sale_requests',
    'order_lines',
    'orders',
    'checkouts',
    'member_sku_takes',
    'cart_lines',
    'addresses',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

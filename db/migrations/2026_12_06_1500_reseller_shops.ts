import { sql, type Kysely } from 'kysely'

// A reseller's shop: the handles she has used (one current; former ones stay hers and redirect) and the
// session items on her shelves, in her order. Prices come from reseller_prices (one retail price per item).
export async function up(db: Kysely<any>): Promise<void> {
  // Every handle ever taken is a row, so a former handle can never go to someone else and its links keep working.
  await sql`
    create table shop_handles (
      handle text primary key check (handle ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' and length(handle) between 3 and 30),
      user_id uuid not null references users(id) on delete cascade,
      is_current boolean not null default true,
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      check (is_current = (retired_at is null))
    )`.execute(db)
  await sql`create unique index shop_handles_one_current on shop_handles (user_id) where is_current`.execute(db)
  await sql`create index shop_handles_user_idx on shop_handles (user_id)`.execute(db)

  await sql`
    create table shop_items (
      user_id uuid not null references users(id) on delete cascade,
      session_item_id uuid not null references session_items(id) on delete cascade,
      position integer not null,
      added_at timestamptz not null default now(),
      primary key (user_id, session_item_id)
    )`.execute(db)
  await sql`create index shop_items_item_idx on shop_items (session_item_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['shop_items', 'shop_handles']) await db.schema.dropTable(t).ifExists().execute()
}

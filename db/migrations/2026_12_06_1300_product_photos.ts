import { sql, type Kysely } from 'kysely'

// Up to nine ordered photos per product. The first is the cover and stays mirrored in products.image_path, which
// every list (session, search, cart, orders, cards) already reads.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table product_photos (
      product_id uuid not null references products(id) on delete cascade,
      position smallint not null check (position between 0 and 8),
      path text not null check (path ~ '^[0-9a-f-]{36}$'),
      created_at timestamptz not null default now(),
      primary key (product_id, position)
    )`.execute(db)
  await sql`insert into product_photos (product_id, position, path) select id, 0, image_path from products where image_path is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists product_photos`.execute(db)
}

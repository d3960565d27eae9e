import { sql, type Kysely } from 'kysely'

// After-sale requests name the lines (and quantities) they cover; null means the whole order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table after_sale_requests add column lines jsonb`.execute(db)
  await sql`create index order_refunds_unsettled_idx on order_refunds (created_at) where status <> 'succeeded'`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists order_refunds_unsettled_idx`.execute(db)
  await sql`alter table after_sale_requests drop column if exists lines`.execute(db)
}

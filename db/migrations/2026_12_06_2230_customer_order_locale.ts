import { sql, type Kysely } from 'kysely'

// The language a customer ordered in: her e-mails (order paid, parcel shipped) lead with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customer_orders add column locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en'))`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customer_orders drop column locale`.execute(db)
}

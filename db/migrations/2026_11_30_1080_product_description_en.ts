import { sql, type Kysely } from 'kysely'

// Products get an optional English description, shown to English readers (Chinese otherwise).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table products add column description_en text check (description_en is null or char_length(description_en) <= 2000)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table products drop column if exists description_en`.execute(db)
}

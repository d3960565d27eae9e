import { sql, type Kysely } from 'kysely'
import { suggestOptionNameEn } from '#app/domain/option-names'

// Each SKU carries the English names of its size and colour ('' = none given: shown as written). Existing rows
// take the dictionary's names; the dictionary only ever grows, so a later run backfills at least as much.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table skus
    add column size_en text not null default '' check (char_length(size_en) <= 32),
    add column colour_en text not null default '' check (char_length(colour_en) <= 32)`.execute(db)
  for (const column of ['size', 'colour'] as const) {
    const { rows } = await sql<{ value: string }>`select distinct ${sql.ref(column)} as value from skus`.execute(db)
    const named = rows.map((r) => [r.value, suggestOptionNameEn(r.value)] as const).filter(([, en]) => en)
    if (!named.length) continue
    await sql`update skus set ${sql.ref(`${column}_en`)} = n.en
      from unnest(${named.map(([v]) => v)}::text[], ${named.map(([, en]) => en)}::text[]) as n(value, en)
      where skus.${sql.ref(column)} = n.value`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table skus drop column if exists size_en, drop column if exists colour_en`.execute(db)
}

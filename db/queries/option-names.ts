import { sql } from 'kysely'
import type { Conn } from './conn'

/**
 * The English size and colour of an order line (`l`), read from its SKU (joined as `lk`): an order line keeps
 * the Chinese it was sold with, so the SKU's English applies only while the SKU still has that size and colour.
 */
export function lineOptionNamesEn(line = 'l', sku = 'lk') {
  const en = (column: 'size' | 'colour') =>
    sql<string>`coalesce(case when ${sql.ref(`${sku}.${column}`)} = ${sql.ref(`${line}.${column}`)}
      then ${sql.ref(`${sku}.${column}_en`)} end, '')`
  return [en('size').as('size_en'), en('colour').as('colour_en')] as const
}

/** English names of size and colour values as brands named them (the most common name per value). */
export async function optionNamesEn(
  db: Conn,
  values: { sizes: string[]; colours: string[] },
): Promise<{ size: Map<string, string>; colour: Map<string, string> }> {
  const out = { size: new Map<string, string>(), colour: new Map<string, string>() }
  for (const kind of ['size', 'colour'] as const) {
    const wanted = kind === 'size' ? values.sizes : values.colours
    if (!wanted.length) continue
    const rows = await sql<{ value: string; en: string }>`
      select distinct on (value) value, en from (
        select ${sql.ref(kind)} as value, ${sql.ref(`${kind}_en`)} as en, count(*) as n
        from skus where ${sql.ref(kind)} = any(${wanted}::text[]) and ${sql.ref(`${kind}_en`)} <> ''
        group by 1, 2
      ) named order by value, n desc, en`.execute(db)
    for (const r of rows.rows) out[kind].set(r.value, r.en)
  }
  return out
}

// The operator's reconciliation, read from the journal: per day (in the display time zone) and per
// session, money in, money out, commission, other income and the change in what is held. Each row
// balances to zero because every entry — and each session's part of it — does.
import { sql } from 'kysely'
import type { Db } from '#db/client'
import { reconcile, type LedgerAccount, type ReconciliationRow } from '#app/domain/ledger'
import { PLATFORM_RULES } from '#app/domain/platform-rules'

interface Sums {
  key: string | null
  account: LedgerAccount
  debits: string
  credits: string
}

function rowsOf<T extends { key: string | null }>(
  sums: Sums[],
  label: (key: string | null) => Omit<T, 'key'>,
): Array<T & ReconciliationRow> {
  const byKey = new Map<string | null, Sums[]>()
  for (const s of sums) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s])
  return [...byKey.entries()].map(
    ([key, list]) =>
      ({
        key,
        ...label(key),
        ...reconcile(
          list.flatMap((s) => [
            { account: s.account, amountMinor: Number(s.debits) },
            { account: s.account, amountMinor: Number(s.credits) },
          ]),
        ),
      }) as T & ReconciliationRow,
  )
}

export async function reconciliation(db: Db, v: { days?: number; now: Date }) {
  const since = new Date(v.now.getTime() - (v.days ?? 31) * 24 * 3_600_000)
  const tz = PLATFORM_RULES.displayTimeZone
  const byDay = await sql<Sums>`
    select to_char(e.occurred_at at time zone ${tz}, 'YYYY-MM-DD') as key, p.account,
      coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0), 0) as debits, coalesce(sum(p.amount_minor) filter (where p.amount_minor < 0), 0) as credits
    from ledger_postings p join ledger_entries e on e.id = p.entry_id
    where e.occurred_at >= ${since}
    group by 1, 2`.execute(db)
  const bySession = await sql<Sums>`
    select p.session_id::text as key, p.account,
      coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0), 0) as debits, coalesce(sum(p.amount_minor) filter (where p.amount_minor < 0), 0) as credits
    from ledger_postings p
    group by 1, 2`.execute(db)
  const sessionIds = [...new Set(bySession.rows.map((r) => r.key).filter((k): k is string => !!k))]
  const sessions = sessionIds.length
    ? await db
        .selectFrom('clearance_sessions as s')
        .innerJoin('brands as b', 'b.id', 's.brand_id')
        .select(['s.id', 's.title', 's.title_en', 'b.name as brand_name', 'b.name_en as brand_name_en'])
        .where('s.id', 'in', sessionIds)
        .execute()
    : []
  const days = rowsOf<{ key: string | null }>(byDay.rows, () => ({})).sort((a, b) =>
    String(b.key).localeCompare(String(a.key)),
  )
  const perSession = rowsOf<{
    key: string | null
    title: string | null
    titleEn: string | null
    brandName: string | null
    brandNameEn: string | null
  }>(bySession.rows, (key) => {
    const s = sessions.find((x) => x.id === key)
    return {
      title: s?.title ?? null,
      titleEn: s?.title_en ?? null,
      brandName: s?.brand_name ?? null,
      brandNameEn: s?.brand_name_en ?? null,
    }
  }).sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : String(a.brandName).localeCompare(String(b.brandName))))
  const total = reconcile(
    bySession.rows.flatMap((s) => [
      { account: s.account, amountMinor: Number(s.debits) },
      { account: s.account, amountMinor: Number(s.credits) },
    ]),
  )
  return { days, sessions: perSession, total, currency: PLATFORM_RULES.defaultCurrency }
}

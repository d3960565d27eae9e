// The operator's reconciliation, read from the journal: per day (in the display time zone) and per
// session, money in, money out, commission, other income and the change in what is held. Each row
// balances to zero because every entry — and each session's part of it — does.
import type { Db } from '#db/client'
import { postingSumsByDay, postingSumsBySession, sessionLabels, type PostingSums } from '#db/queries/ledger'
import { reconcile, type ReconciliationRow } from '#app/domain/ledger'
import { PLATFORM_RULES } from '#app/domain/platform-rules'

function rowsOf<T extends { key: string | null }>(
  sums: PostingSums[],
  label: (key: string | null) => Omit<T, 'key'>,
): Array<T & ReconciliationRow> {
  const byKey = new Map<string | null, PostingSums[]>()
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
  const byDay = await postingSumsByDay(db, since, tz)
  const bySession = await postingSumsBySession(db)
  const sessionIds = [...new Set(bySession.map((r) => r.key).filter((k): k is string => !!k))]
  const sessions = await sessionLabels(db, sessionIds)
  const days = rowsOf<{ key: string | null }>(byDay, () => ({})).sort((a, b) =>
    String(b.key).localeCompare(String(a.key)),
  )
  const perSession = rowsOf<{
    key: string | null
    title: string | null
    titleEn: string | null
    brandName: string | null
    brandNameEn: string | null
  }>(bySession, (key) => {
    const s = sessions.find((x) => x.id === key)
    return {
      title: s?.title ?? null,
      titleEn: s?.title_en ?? null,
      brandName: s?.brand_name ?? null,
      brandNameEn: s?.brand_name_en ?? null,
    }
  }).sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : String(a.brandName).localeCompare(String(b.brandName))))
  const total = reconcile(
    bySession.flatMap((s) => [
      { account: s.account, amountMinor: Number(s.debits) },
      { account: s.account, amountMinor: Number(s.credits) },
    ]),
  )
  return { days, sessions: perSession, total, currency: PLATFORM_RULES.defaultCurrency }
}

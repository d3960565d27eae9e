import { sql, type Transaction } from 'kysely'
import type { Database } from '../schema'
import { ensurePersonalCode, grantPoints } from '#app/services/membership/growth.server'
import { shanghaiMonthOf, shanghaiMonthRange } from '#app/domain/membership'

/** Personal codes of the demo VIP members and the open campaign code, printed with the demo logins. */
export const DEMO_INVITE_CODES: Record<string, string> = {
  'vip1@demo.cm': 'AMEI2026',
  'vip3@demo.cm': 'LILY2026',
  'vip5@demo.cm': 'DAPANG26',
}
export const DEMO_CAMPAIGN_CODE = 'WELCOME2026'

// Opening balances consistent with each demo level, and this month's points (VIP5 has kept its level, VIP3 not yet).
const PLAN: { email: string; opening: number; thisMonth: number; invitedBy: string | null }[] = [
  { email: 'trial@demo.cm', opening: 30, thisMonth: 0, invitedBy: 'vip3@demo.cm' },
  { email: 'vip1@demo.cm', opening: 80, thisMonth: 0, invitedBy: 'vip5@demo.cm' },
  { email: 'vip3@demo.cm', opening: 700, thisMonth: 40, invitedBy: 'vip5@demo.cm' },
  { email: 'vip5@demo.cm', opening: 4300, thisMonth: 520, invitedBy: null },
]

/** Demo membership data: ledger rows, personal codes, who invited whom, the campaign code. Deterministic. */
export async function seedMembership(trx: Transaction<Database>, now: Date) {
  const users = await trx.selectFrom('users').select(['id', 'email', 'role']).execute()
  const id = (email: string) => users.find((u) => u.email === email)!.id
  const ops = users.find((u) => u.role === 'operator')?.id ?? null
  const opening = new Date(now.getTime() - 75 * 24 * 3_600_000)
  const monthStart = shanghaiMonthRange(shanghaiMonthOf(now)).start
  const thisMonth = new Date(Math.max(monthStart.getTime(), now.getTime() - 3_600_000))

  await trx
    .insertInto('invitation_codes')
    .values({
      code: DEMO_CAMPAIGN_CODE,
      kind: 'campaign',
      note: '新会员招募',
      created_by: ops,
      created_at: opening,
    } as never)
    .execute()
  for (const [email, code] of Object.entries(DEMO_INVITE_CODES)) await ensurePersonalCode(trx, id(email), opening, code)
  for (const p of PLAN) {
    const memberId = id(p.email)
    await grantPoints(trx, { memberId, delta: p.opening, note: '演示开户成长值', now: opening })
    if (p.thisMonth) await grantPoints(trx, { memberId, delta: p.thisMonth, note: '演示本月成长值', now: thisMonth })
    const code = p.invitedBy
      ? await trx
          .selectFrom('invitation_codes')
          .select('id')
          .where('owner_id', '=', id(p.invitedBy))
          .executeTakeFirstOrThrow()
      : null
    await trx
      .updateTable('memberships')
      .set({
        invited_by: p.invitedBy ? id(p.invitedBy) : null,
        invitation_code_id: code?.id ?? null,
        level_since: opening,
      })
      .where('member_id', '=', memberId)
      .execute()
    if (code) await sql`update invitation_codes set uses = uses + 1 where id = ${code.id}`.execute(trx)
  }
}

import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoLogins, seed } from '#db/seed'
import { levelForPoints } from '#app/domain/membership'
import { DEFAULT_VIP_TIERS } from '#app/domain/pricing'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-23T10:17:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db, now)
})
afterAll(() => t.drop())

describe('membership demo data', () => {
  it('gives every demo member ledger rows consistent with their level', async () => {
    const rows = await sql<{ email: string; vip_level: number; balance: number }>`
      select u.email, u.vip_level, coalesce(sum(g.delta), 0)::int as balance
      from users u left join growth_ledger g on g.member_id = u.id where u.role = 'member' group by u.id order by u.vip_level`.execute(
      t.db,
    )
    expect(rows.rows.map((r) => [r.email, r.vip_level])).toEqual([
      ['trial@demo.cm', 0],
      ['vip1@demo.cm', 1],
      ['vip3@demo.cm', 3],
      ['vip5@demo.cm', 5],
    ])
    for (const r of rows.rows) expect(levelForPoints(r.balance, DEFAULT_VIP_TIERS)).toBe(r.vip_level)
  })

  it('has the personal codes of the VIP members and the campaign code, printed with the logins', async () => {
    const codes = await t.db
      .selectFrom('invitation_codes as c')
      .leftJoin('users as u', 'u.id', 'c.owner_id')
      .select(['c.code', 'c.kind', 'u.email'])
      .orderBy('c.code')
      .execute()
    expect(codes).toEqual([
      { code: 'AMEI2026', kind: 'personal', email: 'vip1@demo.cm' },
      { code: 'DAPANG26', kind: 'personal', email: 'vip5@demo.cm' },
      { code: 'LILY2026', kind: 'personal', email: 'vip3@demo.cm' },
      { code: 'WELCOME2026', kind: 'campaign', email: null },
    ])
    const notes = demoLogins()
      .map((l) => `${l.login} ${l.note}`)
      .join('\n')
    for (const code of ['AMEI2026', 'LILY2026', 'DAPANG26', 'WELCOME2026']) expect(notes).toContain(code)
    const trial = await t.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.member_id')
      .innerJoin('users as i', 'i.id', 'm.invited_by')
      .select('i.email')
      .where('u.email', '=', 'trial@demo.cm')
      .executeTakeFirstOrThrow()
    expect(trial.email).toBe('vip3@demo.cm')
  })
})

import { sql } from 'kysely'
import type { Conn } from './conn'
import type { GrowthReason } from '../schema/membership'

// ---------------------------------------------------------------- VIP table

export async function selectVipTiers(db: Conn, opts: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('vip_tiers')
    .select(['level', 'threshold_points', 'discount_bps', 'keep_points_per_month'])
    .orderBy('level')
  if (opts.forUpdate) q = q.forUpdate()
  const rows = await q.execute()
  return rows.map((r) => ({
    level: r.level,
    thresholdPoints: r.threshold_points,
    discountBps: r.discount_bps,
    keepPointsPerMonth: r.keep_points_per_month,
  }))
}

/**
 * Fixes the VIP discounts in force for every scheduled session that has started by `now` and has none fixed yet
 * (on the caller's transaction; run at a session's start and before the table is edited).
 */
export async function fixSessionVipTiers(db: Conn, now: Date, sessionId?: string) {
  await sql`
    insert into session_vip_tiers (session_id, level, discount_bps)
    select s.id, t.level, t.discount_bps from clearance_sessions s cross join vip_tiers t
    where s.status = 'scheduled' and s.starts_at <= ${now}
      ${sessionId ? sql`and s.id = ${sessionId}` : sql``}
      and not exists (select 1 from session_vip_tiers f where f.session_id = s.id)
    on conflict do nothing`.execute(db)
}

/** The discounts fixed for the sessions live at `now` (only they are priced with them). */
export function selectLiveSessionVipTiers(db: Conn, now: Date) {
  return db
    .selectFrom('session_vip_tiers as f')
    .innerJoin('clearance_sessions as s', 's.id', 'f.session_id')
    .select(['f.session_id', 'f.level', 'f.discount_bps'])
    .where('s.status', '=', 'scheduled')
    .where('s.starts_at', '<=', now)
    .where('s.ends_at', '>', now)
    .execute()
}

export async function updateVipTier(
  db: Conn,
  t: { level: number; thresholdPoints: number; discountBps: number; keepPointsPerMonth: number | null },
  now: Date,
) {
  await db
    .updateTable('vip_tiers')
    .set({
      threshold_points: t.thresholdPoints,
      discount_bps: t.discountBps,
      keep_points_per_month: t.level === 0 ? null : t.keepPointsPerMonth,
      updated_at: now,
    })
    .where('level', '=', t.level)
    .execute()
}

export async function insertVipTierChange(
  db: Conn,
  row: { operatorId: string; before: unknown; after: unknown; note: string; now: Date },
) {
  await db
    .insertInto('vip_tier_changes')
    .values({
      operator_id: row.operatorId,
      before: JSON.stringify(row.before),
      after: JSON.stringify(row.after),
      note: row.note,
      created_at: row.now,
    } as never)
    .execute()
}

export function listVipTierChanges(db: Conn, limit = 10) {
  return db
    .selectFrom('vip_tier_changes as c')
    .innerJoin('users as u', 'u.id', 'c.operator_id')
    .select(['c.id', 'c.note', 'c.created_at', 'c.before', 'c.after', 'u.display_name as operator_name'])
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()
}

// ---------------------------------------------------------------- members and the ledger

/** Locks the member's users row (serialising every point change for them) and makes sure a memberships row exists. */
export async function lockMember(db: Conn, memberId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'vip_level', 'created_at'])
    .where('id', '=', memberId)
    .forUpdate()
    .executeTakeFirst()
  if (!user) return null
  await db
    .insertInto('memberships')
    .values({ member_id: memberId, invited_by: null, invitation_code_id: null, level_since: user.created_at })
    .onConflict((oc) => oc.column('member_id').doNothing())
    .execute()
  const m = await db
    .selectFrom('memberships')
    .select(['level_since', 'invited_by'])
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow()
  return { ...user, level_since: m.level_since, invited_by: m.invited_by }
}

/**
 * Read-only view of a member for pages: no lock; a member without a memberships row holds their level since
 * joining.
 */
export async function memberSummary(db: Conn, memberId: string) {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('memberships as m', 'm.member_id', 'u.id')
    .select(['u.id', 'u.role', 'u.vip_level', 'u.created_at', 'm.level_since', 'm.invited_by'])
    .where('u.id', '=', memberId)
    .executeTakeFirst()
  return row && { ...row, level_since: row.level_since ?? row.created_at }
}

export async function insertLedgerRow(
  db: Conn,
  row: {
    memberId: string
    delta: number
    reason: GrowthReason
    now: Date
    orderId?: string | null
    refundId?: string | null
    inviteeId?: string | null
    retentionMonth?: string | null
    operatorId?: string | null
    note?: string
  },
) {
  return db
    .insertInto('growth_ledger')
    .values({
      member_id: row.memberId,
      delta: row.delta,
      reason: row.reason,
      created_at: row.now,
      order_id: row.orderId ?? null,
      refund_id: row.refundId ?? null,
      invitee_id: row.inviteeId ?? null,
      retention_month: row.retentionMonth ?? null,
      operator_id: row.operatorId ?? null,
      note: row.note ?? '',
    })
    .returning(['id'])
    .executeTakeFirstOrThrow()
}

export async function pointsBalance(db: Conn, memberId: string, before?: Date): Promise<number> {
  let q = db
    .selectFrom('growth_ledger')
    .select(sql<number>`coalesce(sum(delta), 0)::int`.as('balance'))
    .where('member_id', '=', memberId)
  if (before) q = q.where('created_at', '<', before)
  return (await q.executeTakeFirstOrThrow()).balance
}

/** Net points earned in [start, end): every reason except retention resets. */
export async function pointsEarnedBetween(db: Conn, memberId: string, start: Date, end: Date): Promise<number> {
  const row = await db
    .selectFrom('growth_ledger')
    .select(sql<number>`coalesce(sum(delta), 0)::int`.as('earned'))
    .where('member_id', '=', memberId)
    .where('reason', '<>', 'retention_reset')
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .executeTakeFirstOrThrow()
  return row.earned
}

export async function setMemberLevel(db: Conn, memberId: string, level: number, since: Date) {
  await db.updateTable('users').set({ vip_level: level }).where('id', '=', memberId).execute()
  await db.updateTable('memberships').set({ level_since: since }).where('member_id', '=', memberId).execute()
}

export async function ledgerPage(db: Conn, memberId: string, page: number, pageSize: number) {
  const rows = await sql<{
    id: number
    delta: number
    reason: GrowthReason
    order_id: string | null
    refund_id: string | null
    retention_month: string | null
    note: string
    created_at: Date
    balance_after: number
  }>`
    select id::int, delta, reason, order_id, refund_id, to_char(retention_month, 'YYYY-MM') as retention_month,
           note, created_at,
           (sum(delta) over (order by created_at, id))::int as balance_after
    from growth_ledger where member_id = ${memberId}
    order by created_at desc, id desc
    limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db)
  const total = await db
    .selectFrom('growth_ledger')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow()
  return { rows: rows.rows, total: total.n }
}

// ---------------------------------------------------------------- purchases, refunds, invite bonuses

export async function insertOrderCredit(
  db: Conn,
  row: { orderId: string; memberId: string; paidGoodsMinor: number; points: number; now: Date },
) {
  return db
    .insertInto('growth_order_credits')
    .values({
      order_id: row.orderId,
      member_id: row.memberId,
      paid_goods_minor: row.paidGoodsMinor,
      points_credited: row.points,
      created_at: row.now,
    })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returning(['order_id'])
    .executeTakeFirst()
}

export function findOrderCredit(db: Conn, orderId: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('growth_order_credits').selectAll().where('order_id', '=', orderId)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export function findRefund(db: Conn, refundId: string) {
  return db.selectFrom('growth_refunds').selectAll().where('refund_id', '=', refundId).executeTakeFirst()
}

export async function recordRefund(
  db: Conn,
  row: {
    refundId: string
    orderId: string
    refundMinor: number
    refundedTotalMinor: number
    revoke: number
    now: Date
  },
) {
  await db
    .insertInto('growth_refunds')
    .values({
      refund_id: row.refundId,
      order_id: row.orderId,
      refunded_goods_minor: row.refundMinor,
      points_revoked: row.revoke,
      created_at: row.now,
    })
    .execute()
  await db
    .updateTable('growth_order_credits')
    .set((eb) => ({
      refunded_goods_minor: row.refundedTotalMinor,
      points_revoked: eb('points_revoked', '+', row.revoke),
    }))
    .where('order_id', '=', row.orderId)
    .execute()
}

export function firstCreditedOrder(db: Conn, memberId: string) {
  // Orders her customers placed through her pages are not her purchases: they never count as an invitee's first order.
  return db
    .selectFrom('growth_order_credits as g')
    .select(['g.order_id', 'g.created_at'])
    .where('g.member_id', '=', memberId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('orders as o')
            .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
            .whereRef('o.id', '=', 'g.order_id')
            .select('o.id'),
        ),
      ),
    )
    .orderBy('created_at')
    .orderBy('order_id')
    .limit(1)
    .executeTakeFirst()
}

export function findInviteBonusFor(db: Conn, inviteeId: string) {
  return db
    .selectFrom('growth_ledger')
    .select(['id', 'order_id', 'member_id'])
    .where('reason', '=', 'invite_bonus')
    .where('invitee_id', '=', inviteeId)
    .executeTakeFirst()
}

export async function countInviteBonuses(db: Conn, inviterId: string, start: Date, end: Date): Promise<number> {
  const row = await db
    .selectFrom('growth_ledger')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('member_id', '=', inviterId)
    .where('reason', '=', 'invite_bonus')
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .executeTakeFirstOrThrow()
  return row.n
}

// ---------------------------------------------------------------- invitation codes

export function findCodeWithOwner(db: Conn, code: string) {
  return db
    .selectFrom('invitation_codes as c')
    .leftJoin('users as o', 'o.id', 'c.owner_id')
    .select([
      'c.id',
      'c.code',
      'c.kind',
      'c.owner_id',
      'c.max_uses',
      'c.uses',
      'c.expires_at',
      'o.vip_level as owner_level',
    ])
    .where('c.code', '=', code)
    .executeTakeFirst()
}

/** Counts one use, only while the code is still usable: the atomic conditional update (never read-then-write). */
export async function takeCodeUse(db: Conn, codeId: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('invitation_codes as c')
    .set((eb) => ({ uses: eb('c.uses', '+', 1) }))
    .where('c.id', '=', codeId)
    .where((eb) => eb.or([eb('c.max_uses', 'is', null), eb('c.uses', '<', eb.ref('c.max_uses'))]))
    .where((eb) => eb.or([eb('c.expires_at', 'is', null), eb('c.expires_at', '>', now)]))
    .where((eb) =>
      eb.or([
        eb('c.kind', '=', 'campaign'),
        eb.exists(
          eb.selectFrom('users as o').select('o.id').whereRef('o.id', '=', 'c.owner_id').where('o.vip_level', '>=', 1),
        ),
      ]),
    )
    .returning('c.id')
    .executeTakeFirst()
  return !!row
}

export function personalCodeOf(db: Conn, ownerId: string) {
  return db
    .selectFrom('invitation_codes')
    .select(['id', 'code', 'uses'])
    .where('owner_id', '=', ownerId)
    .where('kind', '=', 'personal')
    .executeTakeFirst()
}

/** Inserts a personal code unless the owner has one; false when the code itself collided (try another). */
export async function insertPersonalCode(db: Conn, ownerId: string, code: string, now: Date): Promise<boolean> {
  const row = await db
    .insertInto('invitation_codes')
    .values({ code, kind: 'personal', owner_id: ownerId, created_at: now } as never)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  if (row) return true
  return !!(await personalCodeOf(db, ownerId))
}

export async function insertCampaignCode(
  db: Conn,
  row: {
    code: string
    maxUses: number | null
    expiresAt: Date | null
    note: string
    createdBy: string | null
    now: Date
  },
) {
  return db
    .insertInto('invitation_codes')
    .values({
      code: row.code,
      kind: 'campaign',
      owner_id: null,
      max_uses: row.maxUses,
      expires_at: row.expiresAt,
      note: row.note,
      created_by: row.createdBy,
      created_at: row.now,
    } as never)
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(['id'])
    .executeTakeFirst()
}

export function listCampaignCodes(db: Conn) {
  return db
    .selectFrom('invitation_codes')
    .select(['id', 'code', 'max_uses', 'uses', 'expires_at', 'note', 'created_at'])
    .where('kind', '=', 'campaign')
    .orderBy('created_at', 'desc')
    .execute()
}

export function listRegistrationsByCode(db: Conn, codeIds: string[]) {
  if (!codeIds.length) return Promise.resolve([])
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.member_id')
    .select(['m.invitation_code_id', 'u.id', 'u.display_name', 'u.email', 'u.phone', 'm.created_at'])
    .where('m.invitation_code_id', 'in', codeIds)
    .orderBy('m.created_at', 'desc')
    .execute()
}

export function listInvitees(db: Conn, inviterId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.member_id')
    .leftJoin('growth_ledger as g', (j) =>
      j.onRef('g.invitee_id', '=', 'm.member_id').on('g.reason', '=', 'invite_bonus'),
    )
    .select(['u.display_name', 'u.phone', 'u.email', 'm.created_at', 'g.delta as bonus'])
    .where('m.invited_by', '=', inviterId)
    .orderBy('m.created_at', 'desc')
    .limit(200)
    .execute()
}

/** A new member's user row; returns its id. */
export function insertMemberUser(
  db: Conn,
  v: { login: { kind: 'email' | 'phone'; value: string }; passwordHash: string; displayName: string; now: Date },
) {
  return db
    .insertInto('users')
    .values({
      email: v.login.kind === 'email' ? v.login.value : null,
      phone: v.login.kind === 'phone' ? v.login.value : null,
      password_hash: v.passwordHash,
      role: 'member',
      display_name: v.displayName,
      vip_level: 0,
      created_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export async function insertMembership(
  db: Conn,
  row: { memberId: string; invitedBy: string | null; codeId: string | null; now: Date },
) {
  await db
    .insertInto('memberships')
    .values({
      member_id: row.memberId,
      invited_by: row.invitedBy,
      invitation_code_id: row.codeId,
      level_since: row.now,
      created_at: row.now,
    } as never)
    .execute()
}

export async function findUserByLogin(db: Conn, kind: 'email' | 'phone', value: string) {
  return db.selectFrom('users').select('id').where(kind, '=', value).executeTakeFirst()
}

// ---------------------------------------------------------------- retention

export async function lastFinishedRetentionMonth(db: Conn): Promise<string | null> {
  const row = await sql<{
    month: string | null
  }>`select to_char(max(month), 'YYYY-MM') as month from retention_runs where finished_at is not null`.execute(db)
  return row.rows[0]?.month ?? null
}

export async function startRetentionRun(db: Conn, monthDate: string, now: Date) {
  await sql`insert into retention_runs (month, started_at) values (${monthDate}::date, ${now})
    on conflict (month) do nothing`.execute(db)
  const row = await sql<{
    finished: boolean
  }>`select finished_at is not null as finished from retention_runs where month = ${monthDate}::date`.execute(db)
  return { finished: row.rows[0].finished }
}

/** The next batch of members to judge for a month, locked (concurrent runs take different members). */
export async function nextRetentionBatch(db: Conn, monthDate: string, monthEnd: Date, limit: number) {
  const rows = await sql<{ id: string }>`
    select u.id from users u
    where u.role = 'member' and u.vip_level >= 1 and u.created_at < ${monthEnd}
      and not exists (select 1 from retention_judgements j where j.month = ${monthDate}::date and j.member_id = u.id)
    order by u.id
    limit ${limit}
    for update of u skip locked`.execute(db)
  return rows.rows.map((r) => r.id)
}

export async function insertJudgement(
  db: Conn,
  row: {
    monthDate: string
    memberId: string
    fromLevel: number
    toLevel: number
    earned: number
    keep: number | null
    now: Date
  },
) {
  await sql`insert into retention_judgements
      (month, member_id, from_level, to_level, earned_points, keep_points, judged_at)
    values (${row.monthDate}::date, ${row.memberId}, ${row.fromLevel}, ${row.toLevel}, ${row.earned}, ${row.keep},
      ${row.now})`.execute(db)
}

export async function bumpRetentionRun(db: Conn, monthDate: string, judged: number, dropped: number) {
  await sql`update retention_runs set judged = judged + ${judged}, dropped = dropped + ${dropped}
    where month = ${monthDate}::date`.execute(db)
}

export async function finishRetentionRun(db: Conn, monthDate: string, now: Date) {
  await sql`update retention_runs set finished_at = ${now}
    where month = ${monthDate}::date and finished_at is null`.execute(db)
}

import type { Conn } from './conn'

export async function countPendingApplications(db: Conn): Promise<number> {
  const row = await db.selectFrom('brand_applications').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function countBrandSessions(db: Conn, brandId: string): Promise<number> {
  const row = await db.selectFrom('clearance_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('brand_id', '=', brandId).executeTakeFirstOrThrow()
  return Number(row.n)
}

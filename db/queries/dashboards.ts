import type { Conn } from './conn'

export async function countPendingApplications(db: Conn): Promise<number> {
  const row = await db
    .selectFrom('brand_applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

import type { Db } from '#db/client'

export interface AddressInput {
  kind: 'own' | 'customer'
  recipient: string
  phone: string
  region: string
  line: string
}

export function listAddresses(db: Db, memberId: string) {
  return db
    .selectFrom('addresses')
    .select(['id', 'kind', 'recipient', 'phone', 'region', 'line'])
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .orderBy('kind', 'desc')
    .orderBy('created_at')
    .execute()
}

export function createAddress(db: Db, memberId: string, input: AddressInput) {
  return db
    .insertInto('addresses')
    .values({ member_id: memberId, ...input })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** Archived, not deleted: past orders keep their ship-to snapshot anyway. Another member's id changes nothing. */
export async function archiveAddress(db: Db, memberId: string, addressId: string, now: Date) {
  const r = await db
    .updateTable('addresses')
    .set({ archived_at: now })
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

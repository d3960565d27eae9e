import type { Conn } from './conn'

/** The columns a saved address is written with (its region already checked against the division list). */
export interface AddressValues {
  kind: 'own' | 'customer'
  recipient: string
  phone: string
  region: string
  province_code: string
  city_code: string
  district_code: string
  line: string
}

/** A member's live addresses: the default first, then her own before her customers', oldest first. */
export function listMemberAddresses(db: Conn, memberId: string) {
  return db
    .selectFrom('addresses')
    .select([
      'id',
      'kind',
      'recipient',
      'phone',
      'region',
      'line',
      'province_code',
      'city_code',
      'district_code',
      'is_default',
    ])
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .orderBy('is_default', 'desc')
    .orderBy('kind', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** Takes the member's row lock: changes to her default address are serialised on it. */
export async function lockAddressBook(db: Conn, memberId: string) {
  await db.selectFrom('users').select('id').where('id', '=', memberId).forUpdate().execute()
}

export function findDefaultAddress(db: Conn, memberId: string) {
  return db
    .selectFrom('addresses')
    .select('id')
    .where('member_id', '=', memberId)
    .where('is_default', '=', true)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
}

export function findLiveAddress(db: Conn, memberId: string, addressId: string) {
  return db
    .selectFrom('addresses')
    .select('id')
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
}

export function insertAddress(db: Conn, memberId: string, values: AddressValues, isDefault: boolean) {
  return db
    .insertInto('addresses')
    .values({ member_id: memberId, ...values, is_default: isDefault })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** False when the address is not the member's or is archived. */
export async function updateLiveAddress(
  db: Conn,
  memberId: string,
  addressId: string,
  values: AddressValues,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('addresses')
    .set({ ...values, updated_at: now })
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Clears the member's default flag on every address but `exceptId` (all of them when it is null). */
export async function clearDefaultAddress(db: Conn, memberId: string, exceptId: string | null, now: Date) {
  let q = db
    .updateTable('addresses')
    .set({ is_default: false, updated_at: now })
    .where('member_id', '=', memberId)
    .where('is_default', '=', true)
  if (exceptId) q = q.where('id', '!=', exceptId)
  await q.execute()
}

export async function markDefaultAddress(db: Conn, memberId: string, addressId: string, now: Date) {
  const r = await db
    .updateTable('addresses')
    .set({ is_default: true, updated_at: now })
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function archiveMemberAddress(db: Conn, memberId: string, addressId: string, now: Date) {
  const r = await db
    .updateTable('addresses')
    .set({ archived_at: now, is_default: false })
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

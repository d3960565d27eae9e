// A member's address book: her own addresses and her customers' (drop-ship), one of them the default that
// checkout preselects. The region is a real province → city → district chain from the national division list.
import type { Db } from '#db/client'
import { DomainError } from '#app/domain/errors'
import { divisions, pickerLists, regionFor } from '#app/services/regions.server'
import { parseAddressText } from '#app/domain/addresses'

export class InvalidRegionError extends DomainError {
  readonly code = 'invalid_region'
}

export interface AddressInput {
  kind: 'own' | 'customer'
  recipient: string
  phone: string
  provinceCode: string
  cityCode: string
  districtCode: string
  line: string
  makeDefault?: boolean
}

export interface AddressEntry {
  id: string
  kind: 'own' | 'customer'
  recipient: string
  phone: string
  region: string
  line: string
  provinceCode: string | null
  cityCode: string | null
  districtCode: string | null
  isDefault: boolean
  /** Saved before regions came from the list: it ships as written, editing asks for the region. */
  needsRegion: boolean
}

export async function listAddresses(db: Db, memberId: string): Promise<AddressEntry[]> {
  const rows = await db
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
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    recipient: r.recipient,
    phone: r.phone,
    region: r.region,
    line: r.line,
    provinceCode: r.province_code,
    cityCode: r.city_code,
    districtCode: r.district_code,
    isDefault: r.is_default,
    needsRegion: r.district_code === null,
  }))
}

/**
 * The address as its edit form starts: an address saved with free text gets the region read from that text,
 * so the member usually only confirms it. Null when it is not hers.
 */
export async function addressForEdit(db: Db, memberId: string, addressId: string) {
  const a = (await listAddresses(db, memberId)).find((x) => x.id === addressId)
  if (!a) return null
  if (!a.needsRegion) return a
  const read = parseAddressText(`${a.region} ${a.line}`, divisions())
  return {
    ...a,
    provinceCode: read.provinceCode ?? null,
    cityCode: read.cityCode ?? null,
    districtCode: read.districtCode ?? null,
    line: read.districtCode && read.line ? read.line : a.line,
  }
}

function regionOf(input: AddressInput) {
  const region = regionFor(input)
  if (!region) throw new InvalidRegionError('Province, city and district do not belong together')
  return region
}

/** A member's first address becomes her default; `makeDefault` moves the default to this one. */
export async function createAddress(db: Db, memberId: string, input: AddressInput, now = new Date()) {
  const region = regionOf(input)
  return db.transaction().execute(async (trx) => {
    await lockBook(trx, memberId)
    const hasDefault = await trx
      .selectFrom('addresses')
      .select('id')
      .where('member_id', '=', memberId)
      .where('is_default', '=', true)
      .where('archived_at', 'is', null)
      .executeTakeFirst()
    const makeDefault = !!input.makeDefault || !hasDefault
    if (makeDefault && hasDefault)
      await trx
        .updateTable('addresses')
        .set({ is_default: false, updated_at: now })
        .where('id', '=', hasDefault.id)
        .execute()
    return trx
      .insertInto('addresses')
      .values({
        member_id: memberId,
        kind: input.kind,
        recipient: input.recipient,
        phone: input.phone,
        region: region.label,
        province_code: region.provinceCode,
        city_code: region.cityCode,
        district_code: region.districtCode,
        line: input.line,
        is_default: makeDefault,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  })
}

/**
 * Changes an address in place: orders already placed keep the copy they shipped to. False when it is not the
 * member's (or archived).
 */
export async function updateAddress(
  db: Db,
  memberId: string,
  addressId: string,
  input: AddressInput,
  now = new Date(),
) {
  const region = regionOf(input)
  return db.transaction().execute(async (trx) => {
    await lockBook(trx, memberId)
    const r = await trx
      .updateTable('addresses')
      .set({
        kind: input.kind,
        recipient: input.recipient,
        phone: input.phone,
        region: region.label,
        province_code: region.provinceCode,
        city_code: region.cityCode,
        district_code: region.districtCode,
        line: input.line,
        updated_at: now,
      })
      .where('id', '=', addressId)
      .where('member_id', '=', memberId)
      .where('archived_at', 'is', null)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) return false
    if (input.makeDefault) await moveDefault(trx, memberId, addressId, now)
    return true
  })
}

/** One default per member: changes to it take the member's row lock, so two at once cannot both win. */
async function lockBook(db: Db, memberId: string) {
  await db.selectFrom('users').select('id').where('id', '=', memberId).forUpdate().execute()
}

async function moveDefault(db: Db, memberId: string, addressId: string, now: Date) {
  await db
    .updateTable('addresses')
    .set({ is_default: false, updated_at: now })
    .where('member_id', '=', memberId)
    .where('is_default', '=', true)
    .where('id', '!=', addressId)
    .execute()
  const r = await db
    .updateTable('addresses')
    .set({ is_default: true, updated_at: now })
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** False (and nothing changed) when the address is not the member's. */
export function setDefaultAddress(db: Db, memberId: string, addressId: string, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    await lockBook(trx, memberId)
    const mine = await trx
      .selectFrom('addresses')
      .select('id')
      .where('id', '=', addressId)
      .where('member_id', '=', memberId)
      .where('archived_at', 'is', null)
      .executeTakeFirst()
    return mine ? moveDefault(trx, memberId, addressId, now) : false
  })
}

/** Archived, not deleted: past orders keep their ship-to snapshot anyway. Another member's id changes nothing. */
export async function archiveAddress(db: Db, memberId: string, addressId: string, now: Date) {
  const r = await db
    .updateTable('addresses')
    .set({ archived_at: now, is_default: false })
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** The address book page: the addresses, the one being edited (null for a new one) and its pickers' lists. */
export async function addressBookPage(db: Db, memberId: string, editId?: string) {
  const addresses = await listAddresses(db, memberId)
  const editing = editId ? await addressForEdit(db, memberId, editId) : null
  if (editId && !editing) return null
  return {
    addresses,
    editing,
    lists: pickerLists({ provinceCode: editing?.provinceCode ?? undefined, cityCode: editing?.cityCode ?? undefined }),
  }
}

/** Creates or (with `addressId`) edits; a refusal comes back as its reason for the form. */
export async function saveAddressForm(
  db: Db,
  memberId: string,
  input: AddressInput & { addressId?: string },
): Promise<'saved' | 'not_found' | 'invalid_region'> {
  try {
    if (!input.addressId) await createAddress(db, memberId, input)
    else if (!(await updateAddress(db, memberId, input.addressId, input))) return 'not_found'
    return 'saved'
  } catch (e) {
    if (e instanceof InvalidRegionError) return 'invalid_region'
    throw e
  }
}

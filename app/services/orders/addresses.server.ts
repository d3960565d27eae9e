// A member's address book: her own addresses and her customers' (drop-ship), one of them the default that
// checkout preselects. The region is a real province → city → district chain from the national division list.
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import {
  archiveMemberAddress,
  clearDefaultAddress,
  findDefaultAddress,
  findLiveAddress,
  insertAddress,
  listMemberAddresses,
  lockAddressBook,
  markDefaultAddress,
  updateLiveAddress,
  type AddressValues,
} from '#db/queries/addresses'
import { divisions, pickerLists, regionFor } from '#app/services/regions.server'
import { InvalidRegionError, parseAddressText } from '#app/domain/addresses'

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
  const rows = await listMemberAddresses(db, memberId)
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

function valuesOf(input: AddressInput): AddressValues {
  const region = regionFor(input)
  if (!region) throw new InvalidRegionError('Province, city and district do not belong together')
  return {
    kind: input.kind,
    recipient: input.recipient,
    phone: input.phone,
    region: region.label,
    province_code: region.provinceCode,
    city_code: region.cityCode,
    district_code: region.districtCode,
    line: input.line,
  }
}

/** A member's first address becomes her default; `makeDefault` moves the default to this one. */
export async function createAddress(db: Db, memberId: string, input: AddressInput, now = new Date()) {
  const values = valuesOf(input)
  return db.transaction().execute(async (trx) => {
    await lockAddressBook(trx, memberId)
    const hasDefault = await findDefaultAddress(trx, memberId)
    const makeDefault = !!input.makeDefault || !hasDefault
    if (makeDefault && hasDefault) await clearDefaultAddress(trx, memberId, null, now)
    return insertAddress(trx, memberId, values, makeDefault)
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
  const values = valuesOf(input)
  // One default per member: changes to it take the member's row lock, so two at once cannot both win.
  return db.transaction().execute(async (trx) => {
    await lockAddressBook(trx, memberId)
    if (!(await updateLiveAddress(trx, memberId, addressId, values, now))) return false
    if (input.makeDefault) await moveDefault(trx, memberId, addressId, now)
    return true
  })
}

async function moveDefault(db: Conn, memberId: string, addressId: string, now: Date) {
  await clearDefaultAddress(db, memberId, addressId, now)
  return markDefaultAddress(db, memberId, addressId, now)
}

/** False (and nothing changed) when the address is not the member's. */
export function setDefaultAddress(db: Db, memberId: string, addressId: string, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    await lockAddressBook(trx, memberId)
    const mine = await findLiveAddress(trx, memberId, addressId)
    return mine ? moveDefault(trx, memberId, addressId, now) : false
  })
}

/** Archived, not deleted: past orders keep their ship-to snapshot anyway. Another member's id changes nothing. */
export function archiveAddress(db: Db, memberId: string, addressId: string, now: Date) {
  return archiveMemberAddress(db, memberId, addressId, now)
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

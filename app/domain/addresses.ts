// Chinese shipping addresses: a province / city / district chosen from the national list of administrative
// divisions (GB/T 2260 six-digit codes), plus the street line, and the text people paste from WeChat or a shop
// ("张三 13800000000 浙江省杭州市西湖区文三路1号") read back into those fields.
// The division list is passed in (the services load it once), so these rules stay pure and testable.

import { DomainError } from './errors'

/** The national list as province, city and county tables keyed by six-digit code. */
export interface AreaList {
  province_list: Record<string, string>
  city_list: Record<string, string>
  county_list: Record<string, string>
}

export interface Division {
  code: string
  name: string
}

export interface DivisionIndex {
  provinces: Division[]
  /** Cities of a province, districts of a city, in code order. */
  children: ReadonlyMap<string, Division[]>
  names: ReadonlyMap<string, string>
}

/** Cities in the list that are groupings, not places: an address never names them. */
const PSEUDO_CITIES = new Set(['省直辖县', '县', '自治区直辖县级行政区划'])

export const provinceOf = (code: string) => `${code.slice(0, 2)}0000`
export const cityOf = (code: string) => `${code.slice(0, 4)}00`

export function indexDivisions(list: AreaList): DivisionIndex {
  const sorted = (table: Record<string, string>) =>
    Object.entries(table)
      .map(([code, name]) => ({ code, name }))
      .sort((a, b) => a.code.localeCompare(b.code))
  const children = new Map<string, Division[]>()
  const add = (parent: string, d: Division) => {
    const list = children.get(parent)
    if (list) list.push(d)
    else children.set(parent, [d])
  }
  for (const c of sorted(list.city_list)) add(provinceOf(c.code), c)
  for (const d of sorted(list.county_list)) add(cityOf(d.code), d)
  const names = new Map<string, string>()
  for (const table of [list.province_list, list.city_list, list.county_list])
    for (const [code, name] of Object.entries(table)) names.set(code, name)
  return { provinces: sorted(list.province_list), children, names }
}

export interface RegionCodes {
  provinceCode: string
  cityCode: string
  districtCode: string
}

export interface Region extends RegionCodes {
  province: string
  city: string
  district: string
  /** What a parcel label and an order show: "浙江省 杭州市 西湖区", "北京市 朝阳区". */
  label: string
}

/** The region when the three codes are a real province → city → district chain, else null. */
export function resolveRegion(index: DivisionIndex, codes: RegionCodes): Region | null {
  const { provinceCode, cityCode, districtCode } = codes
  const province = index.names.get(provinceCode)
  const city = index.names.get(cityCode)
  const district = index.names.get(districtCode)
  if (!province || !city || !district) return null
  if (!index.provinces.some((p) => p.code === provinceCode)) return null
  if (!index.children.get(provinceCode)?.some((c) => c.code === cityCode)) return null
  if (!index.children.get(cityCode)?.some((d) => d.code === districtCode)) return null
  return { ...codes, province, city, district, label: regionLabel(province, city, district) }
}

export function regionLabel(province: string, city: string, district: string) {
  const parts = [province]
  if (city !== province && !PSEUDO_CITIES.has(city)) parts.push(city)
  parts.push(district)
  return parts.join(' ')
}

export interface RecognisedAddress {
  recipient?: string
  phone?: string
  provinceCode?: string
  cityCode?: string
  districtCode?: string
  line?: string
}

// Labels that shops and chat apps put before each part; longest first so 手机号码 wins over 手机.
const RECIPIENT_LABELS = ['收货人姓名', '收件人姓名', '收货人', '收件人', '联系人', '姓名', 'Name']
const OTHER_LABELS = [
  '收货地址',
  '收件地址',
  '详细地址',
  '所在地区',
  '所在地',
  '地区',
  '地址',
  '手机号码',
  '联系电话',
  '联系方式',
  '手机号',
  '电话号码',
  '手机',
  '电话',
  'Address',
  'Phone',
  'Mobile',
  'Tel',
]
const label = (words: string[]) => new RegExp(`(?:${words.join('|')})\\s*[:：]?\\s*`, 'gi')

const MOBILE = /(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?(\d{7,8})(?!\d)/
const SEPARATORS = /[,，;；、|\n\r\t\u3000]+/g
/** Words that end a street line, not a name: 8号, 文三路, 3栋, 101室 … */
const STREET_END = /[号路街道巷弄村镇乡楼栋座室层区苑园庭厦府城门院里\d]$/

/**
 * Reads pasted address text into the address fields. Whatever is not recognised is left out, so the caller fills
 * only what was found and leaves the rest for the person to complete.
 */
export function parseAddressText(text: string, index: DivisionIndex): RecognisedAddress {
  const out: RecognisedAddress = {}
  let s = text.slice(0, 500).normalize('NFKC')

  const named = new RegExp(`(?:${RECIPIENT_LABELS.join('|')})\\s*[:：]\\s*([^\\s,，;；、|:：]+)`, 'i').exec(s)
  if (named?.[1]) {
    out.recipient = named[1]
    s = s.replace(named[0], ' ')
  }
  const mobile = MOBILE.exec(s)
  const landline = mobile ? null : LANDLINE.exec(s)
  if (mobile) out.phone = mobile.slice(1).join('')
  else if (landline) out.phone = `${landline[1]}-${landline[2]}`
  const phoneMatch = mobile ?? landline
  if (phoneMatch) s = s.replace(phoneMatch[0], ' ')
  s = s
    .replace(label(RECIPIENT_LABELS), ' ')
    .replace(label(OTHER_LABELS), ' ')
    .replace(/[:：]/g, ' ')
    .replace(SEPARATORS, ' ')
    .replace(/\s+/g, ' ')
    .trim()

  const found = findRegion(s, index)
  let before = s
  let after = ''
  if (found) {
    out.provinceCode = found.provinceCode
    if (found.cityCode) out.cityCode = found.cityCode
    if (found.districtCode) out.districtCode = found.districtCode
    before = s.slice(0, found.start).trim()
    after = s.slice(found.end).trim()
  }
  if (!out.recipient && before && isNameLike(before)) out.recipient = before
  else if (before && found) after = `${before} ${after}`.trim()
  if (!out.recipient && after) {
    const tokens = after.split(' ')
    const last = tokens[tokens.length - 1]!
    if (tokens.length > 1 && isNameLike(last)) {
      out.recipient = last
      after = tokens.slice(0, -1).join(' ')
    }
  }
  if (found && after) out.line = after.slice(0, 200)
  return out
}

function isNameLike(token: string) {
  if (/\s/.test(token) || /\d/.test(token)) return false
  if (/^[\u4e00-\u9fa5·]{2,6}$/.test(token)) return !STREET_END.test(token) || token.length <= 3
  return /^[A-Za-z][A-Za-z.'-]{0,29}$/.test(token)
}

interface RegionMatch {
  provinceCode: string
  cityCode?: string
  districtCode?: string
  start: number
  end: number
}

/** Short forms people write: 浙江 for 浙江省, 广西 for 广西壮族自治区, 杭州 for 杭州市. */
function shortNames(name: string): string[] {
  const short = name
    .replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区)$/, '')
    .replace(/(省|市|地区|盟)$/, '')
  return short !== name && short.length >= 2 ? [name, short] : [name]
}

/** The longest of `names` that starts at `at` (spaces skipped first), as [start, end). */
function matchAt(s: string, at: number, names: string[]): [number, number] | null {
  let i = at
  while (s[i] === ' ') i++
  let best = ''
  for (const n of names) if (n.length > best.length && s.startsWith(n, i)) best = n
  return best ? [i, i + best.length] : null
}

function matchChild(s: string, at: number, options: Division[] | undefined) {
  let best: { d: Division; span: [number, number] } | null = null
  for (const d of options ?? []) {
    if (PSEUDO_CITIES.has(d.name)) continue
    const span = matchAt(s, at, shortNames(d.name))
    if (span && (!best || span[1] > best.span[1])) best = { d, span }
  }
  return best
}

function findRegion(s: string, index: DivisionIndex): RegionMatch | null {
  // The earliest province named (the longest name at that place), then its city and district right after it.
  let province: { d: Division; span: [number, number] } | null = null
  for (const p of index.provinces)
    for (const n of shortNames(p.name)) {
      const at = s.indexOf(n)
      if (at < 0) continue
      if (!province || at < province.span[0] || (at === province.span[0] && at + n.length > province.span[1]))
        province = { d: p, span: [at, at + n.length] }
    }
  if (province) return followProvince(s, index, province.d, province.span)
  // No province: a full city name (杭州市) tells it.
  let city: { d: Division; at: number } | null = null
  for (const cities of index.provinces.map((p) => index.children.get(p.code) ?? []))
    for (const c of cities) {
      if (PSEUDO_CITIES.has(c.name) || c.name.length < 3) continue
      const at = s.indexOf(c.name)
      if (at >= 0 && (!city || at < city.at)) city = { d: c, at }
    }
  if (!city) return null
  const end = city.at + city.d.name.length
  const district = matchChild(s, end, index.children.get(city.d.code))
  return {
    provinceCode: provinceOf(city.d.code),
    cityCode: city.d.code,
    districtCode: district?.d.code,
    start: city.at,
    end: district ? district.span[1] : end,
  }
}

function followProvince(s: string, index: DivisionIndex, province: Division, span: [number, number]): RegionMatch {
  const cities = index.children.get(province.code) ?? []
  const match: RegionMatch = { provinceCode: province.code, start: span[0], end: span[1] }
  const city = matchChild(s, span[1], cities)
  if (city) {
    match.cityCode = city.d.code
    match.end = city.span[1]
    const district = matchChild(s, city.span[1], index.children.get(city.d.code))
    if (district) {
      match.districtCode = district.d.code
      match.end = district.span[1]
    }
    return match
  }
  // 北京市朝阳区, 重庆市巫山县, 湖北省仙桃市: the district follows the province directly.
  for (const c of cities) {
    const district = matchChild(s, span[1], index.children.get(c.code))
    if (district) return { ...match, cityCode: c.code, districtCode: district.d.code, end: district.span[1] }
  }
  if (cities.length === 1) match.cityCode = cities[0]!.code
  return match
}

/** A province, city and district that do not belong together. */
export class InvalidRegionError extends DomainError {
  readonly code = 'invalid_region'
}

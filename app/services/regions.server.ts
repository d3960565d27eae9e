// China's administrative divisions (province → city → district) from the `@vant/area-data` package: loaded once
// on the server and handed out a level at a time, so no page ships the whole list to the phone.
import { areaList } from '@vant/area-data'
import {
  indexDivisions,
  parseAddressText,
  resolveRegion,
  type Division,
  type DivisionIndex,
  type RecognisedAddress,
  type Region,
  type RegionCodes,
} from '#app/domain/addresses'

let index: DivisionIndex | null = null
export const divisions = () => (index ??= indexDivisions(areaList))

/** Provinces (no parent) or the cities of a province / districts of a city; empty for an unknown code. */
export function regionOptions(parent?: string | null): Division[] {
  if (!parent) return divisions().provinces
  return divisions().children.get(parent) ?? []
}

/** Every list a picker needs to show these codes chosen: provinces, the province's cities, the city's districts. */
export function pickerLists(codes: Partial<RegionCodes>) {
  return {
    provinces: regionOptions(),
    cities: codes.provinceCode ? regionOptions(codes.provinceCode) : [],
    districts: codes.cityCode ? regionOptions(codes.cityCode) : [],
  }
}

// Regions resolved before, by district code (a district names its province and city): an order form resolves its
// region on every order, and the lists' lookups cost more than the rest of reading the form. Only real districts are
// kept, so the map is bounded by the national list.
const resolved = new Map<string, Region>()

export function regionFor(codes: RegionCodes): Region | null {
  const known = resolved.get(codes.districtCode)
  if (known) return known.provinceCode === codes.provinceCode && known.cityCode === codes.cityCode ? known : null
  const { provinceCode, cityCode, districtCode } = codes
  const region = resolveRegion(divisions(), { provinceCode, cityCode, districtCode })
  if (region) resolved.set(districtCode, region)
  return region
}

export interface Recognised extends RecognisedAddress {
  lists: ReturnType<typeof pickerLists>
}

/** Pasted text read into address fields, with the lists the pickers need to show what was found. */
export function recogniseAddress(text: string): Recognised {
  const found = parseAddressText(text, divisions())
  return { ...found, lists: pickerLists(found) }
}

// What filters and facet counts read of every document, by Orama's internal id, in typed arrays.
//
// A query for a common word filters and counts ten thousand documents or more. Read from one object per document,
// scattered over the heap, that cost ~10 ms at 100,000 documents, nearly all of it waiting on memory; read from flat
// arrays in internal-id order it is a few hundred microseconds.
import type { NumericRange } from './engine'

/** The coded fields of one document (dictionary codes for the set-valued ones). */
export interface FacetFields {
  endsAt: number
  startsAt: number
  tagCut: boolean
  inStock: boolean
  price: number
  discount: number | null
  brand: number
  category: number
  session: number
  sizes: number[]
  colours: number[]
}

/** One query's filters, coded: a null set means "any". */
export interface CodedFilter {
  nowMs: number
  phase?: 'live' | 'upcoming'
  brands: Set<number> | null
  categories: Set<number> | null
  sessions: Set<number> | null
  sizes: Set<number> | null
  colours: Set<number> | null
  tagCut?: boolean
  inStock?: boolean
  price?: NumericRange
  discount?: NumericRange
}

/** Sizes and colours held inline per document; a document with more keeps them in `overflow`. */
const SLOTS = 8
const TAG_CUT = 1
const IN_STOCK = 2

export class Columns {
  private capacity = 0
  endsAt = new Float64Array(0)
  startsAt = new Float64Array(0)
  price = new Float64Array(0)
  /** NaN when the document has no discount. */
  discount = new Float64Array(0)
  brand = new Int32Array(0)
  category = new Int32Array(0)
  session = new Int32Array(0)
  flags = new Uint8Array(0)
  sizeCount = new Uint8Array(0)
  sizes = new Int32Array(0)
  colourCount = new Uint8Array(0)
  colours = new Int32Array(0)
  private overflow = new Map<number, { sizes: number[]; colours: number[] }>()

  set(id: number, f: FacetFields): void {
    this.ensure(id)
    this.endsAt[id] = f.endsAt
    this.startsAt[id] = f.startsAt
    this.price[id] = f.price
    this.discount[id] = f.discount ?? NaN
    this.brand[id] = f.brand
    this.category[id] = f.category
    this.session[id] = f.session
    this.flags[id] = (f.tagCut ? TAG_CUT : 0) | (f.inStock ? IN_STOCK : 0)
    this.overflow.delete(id)
    if (f.sizes.length > SLOTS || f.colours.length > SLOTS)
      this.overflow.set(id, { sizes: f.sizes, colours: f.colours })
    this.sizeCount[id] = Math.min(f.sizes.length, SLOTS + 1)
    this.colourCount[id] = Math.min(f.colours.length, SLOTS + 1)
    for (let i = 0; i < SLOTS; i++) {
      this.sizes[id * SLOTS + i] = f.sizes[i] ?? 0
      this.colours[id * SLOTS + i] = f.colours[i] ?? 0
    }
  }

  passes(id: number, f: CodedFilter): boolean {
    if (!(this.endsAt[id] > f.nowMs)) return false
    if (f.phase === 'live' && !(this.startsAt[id] <= f.nowMs)) return false
    if (f.phase === 'upcoming' && !(this.startsAt[id] > f.nowMs)) return false
    if (f.brands && !f.brands.has(this.brand[id])) return false
    if (f.categories && !f.categories.has(this.category[id])) return false
    if (f.sessions && !f.sessions.has(this.session[id])) return false
    const flags = this.flags[id]
    if (f.tagCut !== undefined && ((flags & TAG_CUT) !== 0) !== f.tagCut) return false
    if (f.inStock !== undefined && ((flags & IN_STOCK) !== 0) !== f.inStock) return false
    if (f.sizes && !this.anyOf(id, this.sizeCount, this.sizes, 'sizes', f.sizes)) return false
    if (f.colours && !this.anyOf(id, this.colourCount, this.colours, 'colours', f.colours)) return false
    if (f.price && !within(this.price[id], f.price)) return false
    if (f.discount && !within(this.discount[id], f.discount)) return false
    return true
  }

  /** Adds every listed document's counts; ids in ascending order read the arrays front to back. */
  count(t: Tally, ids: ArrayLike<number>): void {
    const n = t.n
    const { lo: plo, hi: phi, counts: pc } = t.pb
    const { lo: dlo, hi: dhi, counts: dc } = t.db
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]
      n.brand[this.brand[id]]++
      n.category[this.category[id]]++
      n.session[this.session[id]]++
      const sc = this.sizeCount[id],
        cc = this.colourCount[id]
      if (sc > SLOTS || cc > SLOTS) {
        const o = this.overflow.get(id)!
        for (const s of o.sizes) n.size[s]++
        for (const c of o.colours) n.colour[c]++
      } else {
        for (let i = 0; i < sc; i++) n.size[this.sizes[id * SLOTS + i]]++
        for (let i = 0; i < cc; i++) n.colour[this.colours[id * SLOTS + i]]++
      }
      if (this.flags[id] & TAG_CUT) t.tagCutYes++
      const price = this.price[id]
      for (let i = 0; i < plo.length; i++) if (price >= plo[i] && price < phi[i]) pc[i]++
      const disc = this.discount[id]
      // NaN (no discount) falls in no bucket.
      for (let i = 0; i < dlo.length; i++) if (disc >= dlo[i] && disc < dhi[i]) dc[i]++
    }
    t.total += ids.length
  }

  private anyOf(
    id: number,
    count: Uint8Array,
    slots: Int32Array,
    which: 'sizes' | 'colours',
    wanted: Set<number>,
  ): boolean {
    const k = count[id]
    if (k > SLOTS) return this.overflow.get(id)![which].some((x) => wanted.has(x))
    for (let i = 0; i < k; i++) if (wanted.has(slots[id * SLOTS + i])) return true
    return false
  }

  private ensure(id: number) {
    if (id < this.capacity) return
    const size = Math.max(id + 1, this.capacity * 2, 1024)
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T) => {
      const b = make(size)
      b.set(a)
      return b
    }
    const f64 = (n: number) => new Float64Array(n),
      i32 = (n: number) => new Int32Array(n),
      u8 = (n: number) => new Uint8Array(n)
    this.endsAt = grow(this.endsAt, f64)
    this.startsAt = grow(this.startsAt, f64)
    this.price = grow(this.price, f64)
    this.discount = grow(this.discount, f64)
    this.brand = grow(this.brand, i32)
    this.category = grow(this.category, i32)
    this.session = grow(this.session, i32)
    this.flags = grow(this.flags, u8)
    this.sizeCount = grow(this.sizeCount, u8)
    this.colourCount = grow(this.colourCount, u8)
    const slots = (a: Int32Array) => {
      const b = new Int32Array(size * SLOTS)
      b.set(a)
      return b
    }
    this.sizes = slots(this.sizes)
    this.colours = slots(this.colours)
    this.capacity = size
  }
}

function within(v: number, r: NumericRange): boolean {
  // NaN (no value) is within no range.
  return v === v && (r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to)
}

/** Facet counts before decoding, kept with a cached browse so a write can adjust them instead of recounting. */
export interface Tally {
  n: Record<'brand' | 'category' | 'session' | 'size' | 'colour', Int32Array>
  tagCutYes: number
  total: number
  pb: { lo: Float64Array; hi: Float64Array; counts: Int32Array }
  db: { lo: Float64Array; hi: Float64Array; counts: Int32Array }
}

/** Empty counts sized for every code the dictionaries hold now. */
export function emptyTally(
  codes: Record<keyof Tally['n'], number>,
  priceRanges: NumericRange[],
  discountRanges: NumericRange[],
): Tally {
  return {
    n: {
      brand: new Int32Array(codes.brand),
      category: new Int32Array(codes.category),
      session: new Int32Array(codes.session),
      size: new Int32Array(codes.size),
      colour: new Int32Array(codes.colour),
    },
    tagCutYes: 0,
    total: 0,
    pb: bounds(priceRanges),
    db: bounds(discountRanges),
  }
}

/** Adds (+1) or takes away (-1) one document's counts from its own fields: a write adjusting a cached browse. */
export function countOne(t: Tally, c: FacetFields, by: 1 | -1): void {
  const n = t.n
  bump(n, 'brand', c.brand, by)
  bump(n, 'category', c.category, by)
  bump(n, 'session', c.session, by)
  for (let i = 0; i < c.sizes.length; i++) bump(n, 'size', c.sizes[i], by)
  for (let i = 0; i < c.colours.length; i++) bump(n, 'colour', c.colours[i], by)
  t.total += by
  if (c.tagCut) t.tagCutYes += by
  const price = c.price
  const pb = t.pb
  for (let i = 0; i < pb.lo.length; i++) if (price >= pb.lo[i] && price < pb.hi[i]) pb.counts[i] += by
  const disc = c.discount
  const db = t.db
  if (disc !== null) for (let i = 0; i < db.lo.length; i++) if (disc >= db.lo[i] && disc < db.hi[i]) db.counts[i] += by
}

/** One facet value's count; a code newer than the array grows it. */
function bump(n: Tally['n'], k: keyof Tally['n'], code: number, by: number) {
  if (code >= n[k].length) {
    const grown = new Int32Array(Math.max(code + 1, n[k].length * 2))
    grown.set(n[k])
    n[k] = grown
  }
  n[k][code] += by
}

/** Bounds as flat numbers: one monomorphic comparison per bucket. */
function bounds(rs: NumericRange[]) {
  const lo = new Float64Array(rs.length),
    hi = new Float64Array(rs.length)
  rs.forEach((r, i) => {
    lo[i] = r.from ?? -Infinity
    hi[i] = r.to ?? Infinity
  })
  return { lo, hi, counts: new Int32Array(rs.length) }
}

// `npm run bench:search`: 100,000 session items generated in memory (fixed seed) into the embedded
// Orama engine: build time, memory, and p50/p95 of a query with text + three facet filters + a price
// filter (facet counts and price/discount buckets computed, as the page does). Repeated queries are answered from
// the engine's kept results; the "first query after a write" lines measure the work itself.
import { performance } from 'node:perf_hooks'
import type { SearchDocument } from '#search/documents'
import type { SearchQuery } from '#search/engine'
import { OramaSearchEngine } from '#search/orama'
import { seededRandom } from '#app/utils/seeded-random'

const N = Number(process.env.BENCH_DOCS ?? 100_000)
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300)

const rand = seededRandom(0x5eed)
const pickOne = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]

const zhAdj = [
  '羊毛',
  '纯棉',
  '真丝',
  '加厚',
  '轻薄',
  '法式',
  '复古',
  '通勤',
  '休闲',
  '运动',
  '羊绒',
  '亚麻',
  '牛仔',
  '针织',
  '防风',
]
const zhNoun = [
  '大衣',
  '毛衣',
  '衬衫',
  '连衣裙',
  '短靴',
  '运动鞋',
  '托特包',
  '夹克',
  '卫衣',
  '阔腿裤',
  '项链',
  '耳环',
  '羽绒服',
  '风衣',
  'T恤',
]
const enAdj = [
  'wool',
  'cotton',
  'silk',
  'thick',
  'light',
  'french',
  'vintage',
  'office',
  'casual',
  'sport',
  'cashmere',
  'linen',
  'denim',
  'knit',
  'windproof',
]
const enNoun = [
  'coat',
  'sweater',
  'shirt',
  'dress',
  'boots',
  'sneakers',
  'tote',
  'jacket',
  'hoodie',
  'trousers',
  'necklace',
  'earrings',
  'down jacket',
  'trench',
  'tee',
]
const colours = [
  '黑色',
  '白色',
  '灰色',
  '驼色',
  '藏青',
  '酒红',
  '墨绿',
  '卡其',
  '米白',
  '砖红',
  '湖蓝',
  '姜黄',
  '玫粉',
  '紫罗兰',
  '棕色',
  '蓝色',
  '红色',
  '绿色',
  '黄色',
  '粉色',
]
const sizeSets = [['XS', 'S', 'M', 'L', 'XL'], ['36', '37', '38', '39', '40'], ['100', '110', '120', '130'], ['均码']]
const categories = ['womens', 'mens', 'kids', 'shoes_bags', 'jewellery']
const brands = Array.from({ length: 200 }, (_, i) => ({ id: `b${i}`, name: `品牌${i}`, nameEn: `Brand ${i}` }))
const now = Date.now()
const sessions = Array.from({ length: 400 }, (_, i) => {
  const brand = brands[i % brands.length]
  const startsAt = now + Math.floor((rand() * 96 - 47) * 3_600_000)
  return {
    id: `s${i}`,
    brand,
    title: `${brand.name} 清仓 ${i}`,
    titleEn: `${brand.nameEn} clearance ${i}`,
    startsAt,
    endsAt: startsAt + 48 * 3_600_000,
  }
})

function makeDoc(i: number): SearchDocument {
  const s = pickOne(sessions)
  const a = Math.floor(rand() * zhAdj.length)
  const n = Math.floor(rand() * zhNoun.length)
  const tag = 5_000 + Math.floor(rand() * 300_000)
  const tagCut = rand() < 0.2
  const base = Math.max(100, Math.floor(tag * (0.2 + rand() * 0.6)))
  const sizes = pickOne(sizeSets).filter(() => rand() < 0.7)
  return {
    id: `item-${i}`,
    productId: `p-${i}`,
    title: `${s.brand.name} ${zhAdj[a]}${zhNoun[n]}`,
    titleEn: `${s.brand.nameEn} ${enAdj[a]} ${enNoun[n]}`,
    imageSeed: `x${i}`,
    brandId: s.brand.id,
    brandName: s.brand.name,
    brandNameEn: s.brand.nameEn,
    category: pickOne(categories),
    sizes: sizes.length ? sizes : ['均码'],
    colours: [...new Set([pickOne(colours), pickOne(colours)])],
    tagCut,
    basePriceMinor: base,
    currency: 'CNY',
    tagPriceMinor: tagCut ? null : tag,
    discountBps: tagCut ? null : Math.floor(((tag - base) * 10_000) / tag),
    sessionId: s.id,
    sessionTitle: s.title,
    sessionTitleEn: s.titleEn,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    inStock: rand() < 0.85,
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`
const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const mem0 = process.memoryUsage()
let t = performance.now()
const docs = Array.from({ length: N }, (_, i) => makeDoc(i))
const genMs = performance.now() - t
const engine = new OramaSearchEngine()
t = performance.now()
await engine.rebuild(docs)
const buildMs = performance.now() - t
gc?.()
const mem1 = process.memoryUsage()

const priceBuckets = [
  { to: 10_000 },
  { from: 10_000, to: 20_000 },
  { from: 20_000, to: 50_000 },
  { from: 50_000, to: 100_000 },
  { from: 100_000 },
]
const discountBuckets = [
  { from: 0, to: 3_000 },
  { from: 3_000, to: 5_000 },
  { from: 5_000, to: 7_000 },
  { from: 7_000 },
]
const q = (over: Partial<SearchQuery>): SearchQuery => ({
  text: '',
  now: new Date(now),
  filters: {},
  sort: 'relevance',
  page: 1,
  pageSize: 24,
  priceBuckets,
  discountBuckets,
  maxFacetValues: 30,
  ...over,
})

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

/** With BENCH_PROFILE=<name prefix>: 50 more runs under the inspector, self time per function printed. */
async function profileIfAsked(name: string, run: (i: number) => Promise<void>) {
  if (!process.env.BENCH_PROFILE || !name.startsWith(process.env.BENCH_PROFILE)) return
  const { Session } = await import('node:inspector/promises')
  const s = new Session()
  s.connect()
  await s.post('Profiler.enable')
  await s.post('Profiler.start')
  for (let i = 0; i < 50; i++) await run(i)
  const { profile } = (await s.post('Profiler.stop')) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
      samples: number[]
      timeDeltas: number[]
    }
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!
    const k = `${n.callFrame.functionName}@${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`
    self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  console.log(
    name,
    '\n' +
      [...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, v]) => `  ${(v / 50_000).toFixed(1)} ms/run ${k}`)
        .join('\n'),
  )
}

async function measure(name: string, make: (i: number) => SearchQuery) {
  for (let i = 0; i < 20; i++) await engine.search(make(i)) // warm-up
  await profileIfAsked(name, async (i) => void (await engine.search(make(i))))
  const times: number[] = []
  let hits = 0
  for (let i = 0; i < QUERIES; i++) {
    const query = make(i)
    const t0 = performance.now()
    const r = await engine.search(query)
    times.push(performance.now() - t0)
    hits += r.total
  }
  console.log(
    `${name.padEnd(58)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms   avg hits ${(hits / QUERIES).toFixed(0)}`,
  )
}

console.log(
  `search bench: ${N.toLocaleString('en')} documents, Orama (embedded), node ${process.version}, ${QUERIES} queries each`,
)
console.log(
  `generate ${genMs.toFixed(0)} ms; index build ${(buildMs / 1000).toFixed(2)} s (${Math.round(N / (buildMs / 1000)).toLocaleString('en')} docs/s)`,
)
console.log(
  `memory: heap ${mb(mem0.heapUsed)} → ${mb(mem1.heapUsed)} (+${mb(mem1.heapUsed - mem0.heapUsed)}), RSS ${mb(mem0.rss)} → ${mb(mem1.rss)}${gc ? '' : ' (run with --expose-gc for settled figures)'}`,
)

const threeFacets = (i: number): SearchQuery['filters'] => ({
  brand: [brands[i % 200].id, brands[(i * 7 + 3) % 200].id, brands[(i * 13 + 5) % 200].id],
  category: [categories[i % 5]],
  size: ['M', '38', '110'].slice(0, 1 + (i % 3)),
})
if (!process.env.BENCH_ONLY || 'text(zh) + brand'.startsWith(process.env.BENCH_ONLY))
  await measure('text(zh) + brand + category + size + price', (i) =>
    q({ text: zhNoun[i % zhNoun.length], filters: threeFacets(i), price: { from: 5_000, to: 80_000 } }),
  )
await measure('text(en) + brand + category + size + price', (i) =>
  q({ text: enNoun[i % enNoun.length], filters: threeFacets(i), price: { from: 5_000, to: 80_000 } }),
)
await measure('text(zh) + category + size + colour + price (broad)', (i) =>
  q({
    text: zhNoun[i % zhNoun.length],
    filters: {
      category: [categories[i % 5]],
      size: ['M', 'L', '38'],
      colour: [colours[i % 20], colours[(i + 1) % 20]],
    },
    price: { from: 5_000, to: 200_000 },
  }),
)
await measure('text(en) + category + size + colour + price, sort price', (i) =>
  q({
    text: enAdj[i % enAdj.length],
    filters: {
      category: [categories[i % 5]],
      size: ['M', 'L', '38'],
      colour: [colours[i % 20], colours[(i + 1) % 20]],
    },
    price: { from: 5_000, to: 200_000 },
    sort: 'price_asc',
  }),
)
await measure('no text, no filter (all facets over all live docs)', () => q({}))
await measure('text only, one common word', (i) => q({ text: enNoun[i % enNoun.length] }))
await measure('no text, status=live (all facets)', () => q({ phase: 'live' }))
for (const [label, over] of [
  ['no text, no filter, first query after a write', () => ({})],
  ['no text, status=live, first query after a write', () => ({ phase: 'live' as const })],
  ['one common word, first query after a write (not kept)', (i: number) => ({ text: enNoun[i % enNoun.length] })],
  [
    'text(en) + filters, first query after a write (not kept)',
    (i: number) => ({
      text: enNoun[i % enNoun.length],
      filters: threeFacets(i),
      price: { from: 5_000, to: 80_000 },
    }),
  ],
] as const) {
  // A write adjusts the cached browse (or drops it when the document starts or ends inside its window) and empties
  // the kept results of other queries, so these measure the work itself.
  await profileIfAsked(label, async (i) => {
    await engine.upsert([makeDoc(N + 100 + i)])
    await engine.search(q(over(i)))
  })
  const times: number[] = []
  for (let i = 0; i < 30; i++) {
    await engine.upsert([makeDoc(N + i)])
    const t0 = performance.now()
    await engine.search(q(over(i)))
    times.push(performance.now() - t0)
  }
  console.log(
    `${label.padEnd(58)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms   (30 queries)`,
  )
}
{
  const t0 = performance.now()
  for (let i = 0; i < 100; i++) await engine.upsert([makeDoc(i)])
  console.log(`upsert of one document (outbox drain path): ${((performance.now() - t0) / 100).toFixed(2)} ms each`)
}

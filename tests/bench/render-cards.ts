// Renders sample posters (single and grid, zh-CN and English) to /tmp/reseller-*.png and reports render times.
// Run: npx tsx tests/bench/render-cards.ts
import { writeFileSync } from 'node:fs'
import { renderCardPng, type CardContent } from '#app/services/reseller/cards.server'

const items = [
  {
    title: '沐岚 藏青羊毛混纺连衣裙 超长标题测试一下会不会溢出到二维码或者别的地方去呀呀呀',
    priceMinor: 12900,
    currency: 'CNY',
    tagCut: false,
    sizesLeft: ['S', 'M', 'XL'],
    imageSeed: 'womens:dress:0:x',
  },
  {
    title: '北岸 黑色经典夹克',
    priceMinor: 25990,
    currency: 'CNY',
    tagCut: true,
    sizesLeft: ['M', 'L'],
    imageSeed: 'mens:jacket:5:y',
  },
  {
    title: '小橡树 925银项链',
    priceMinor: 8900,
    currency: 'CNY',
    tagCut: false,
    sizesLeft: [],
    imageSeed: 'jewellery:necklace:2:z',
  },
]
const en = [
  {
    ...items[0],
    title: 'MULAN navy wool-blend dress with an extraordinarily long title that should wrap nicely',
    tagCut: true,
  },
  ...items.slice(1).map((i) => ({ ...i, title: 'Northshore black classic jacket' })),
]
const base = {
  endsAt: '2026-12-01T10:00:00Z',
  resellerName: '杭州Lily',
  shareUrl: 'http://localhost:3207/s/AbCdEfGhIjKlMnOpQrStUv',
}
const grid = (list: typeof items, n = 9) =>
  Array.from({ length: n }, (_, i) => ({
    ...list[i % 3],
    imageSeed: `${['womens:dress', 'mens:jacket', 'kids:romper', 'shoes_bags:sneaker', 'jewellery:ring'][i % 5]}:${i}:s${i}`,
  }))
const cases: [string, CardContent][] = [
  ['single-zh', { kind: 'single', locale: 'zh-CN', items: [items[0]], ...base }],
  ['single-en', { kind: 'single', locale: 'en', items: [en[0]], ...base, resellerName: 'Lily from Hangzhou' }],
  ['single-cut-zh', { kind: 'single', locale: 'zh-CN', items: [items[1]], ...base }],
  ['single-ended-zh', { kind: 'single', locale: 'zh-CN', items: [items[2]], ...base, ended: true }],
  ['grid-zh', { kind: 'grid', locale: 'zh-CN', items: grid(items), heading: '沐岚 冬季女装清仓', ...base }],
  ['grid-en', { kind: 'grid', locale: 'en', items: grid(en), heading: 'MULAN winter clearance', ...base }],
  ...[2, 3, 4, 5].map((n): [string, CardContent] => [
    `grid-${n}`,
    { kind: 'grid', locale: 'zh-CN', items: grid(items, n), heading: '北岸 男装鞋包特卖', ...base },
  ]),
]
for (const [name, c] of cases) {
  const times: number[] = []
  let png: Buffer | undefined
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    png = renderCardPng(c)
    times.push(performance.now() - t)
  }
  writeFileSync(`/tmp/reseller-${name}.png`, png!)
  times.sort((a, b) => a - b)
  console.log(
    `${name.padEnd(14)} first ${times[2].toFixed(0)} ms, median ${times[1].toFixed(0)} ms, ${(png!.length / 1024).toFixed(0)} KiB`,
  )
}

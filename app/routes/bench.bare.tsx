import { json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { ItemGrid } from '#app/components/item-grid'
import { ItemCard, type ItemCardData } from '#app/components/item-card'
import { setting } from '#app/utils/env.server'
import { invariantResponse } from '#app/utils/http.server'

// Benchmark baseline (tests/bench): the session page's layout with 60 static cards and no loader work.
// Exists only when the server runs with BENCH_ROUTES=1; a 404 everywhere else.
const CATEGORIES = ['womens', 'mens', 'kids', 'shoes_bags', 'jewellery'] as const
const CARDS: ItemCardData[] = Array.from({ length: 60 }, (_, n) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  productId: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
  title: `基准商品 ${n + 1}`,
  titleEn: `Bench product ${n + 1}`,
  imageSeed: `${CATEGORIES[n % CATEGORIES.length]}::0:bench-${n}`,
  tagCut: n % 7 === 0,
  tagPriceMinor: n % 7 === 0 ? null : 39_900 + n * 100,
  priceMinor: 19_900 + n * 50,
  currency: 'CNY',
  stock: n % 10 === 0 ? { kind: 'low', left: 3 } : { kind: 'in_stock' },
}))

export async function loader() {
  invariantResponse(setting('BENCH_ROUTES') === '1')
  return json({ items: CARDS })
}

export default function BenchBare() {
  const { items } = useLoaderData<typeof loader>()
  return (
    <div className="page session-page">
      <ItemGrid>
        {items.map((item) => (
          <ItemCard key={item.id} item={item as ItemCardData} />
        ))}
      </ItemGrid>
    </div>
  )
}

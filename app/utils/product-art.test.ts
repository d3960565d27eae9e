import { describe, expect, it } from 'vitest'
import { loader } from '#app/routes/art.$kind.$seed'
import { bannerArtSvg, productArtSvg } from './product-art'

// Seeds come from URLs and from brands' style codes: nothing of them may reach the SVG markup as markup.
const HOSTILE = [
  'a:b:c:" onload="fetch(\'/account?_data=root\')',
  "womens:dress:1:'><script>alert(1)</script>",
  'womens:dress:1:&lt;x&gt;',
  'mens:shirt:2:</svg><svg onload=alert(1)>',
]

describe('generated product art', () => {
  it.each(HOSTILE)('keeps the seed %s out of the markup', (seed) => {
    for (const svg of [productArtSvg(seed), bannerArtSvg(seed)]) {
      expect(svg).not.toMatch(/\son\w+=|<script|&lt;|'>|<\/svg>./)
      // Every attribute value is plain: no quote or angle bracket from the seed.
      const labels = [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1])
      for (const label of labels) expect(label).toMatch(/^[a-z0-9 _-]*$/i)
    }
  })

  it('is served with nosniff and a policy that runs no script', async () => {
    const res = (await loader({
      params: { kind: 'product', seed: HOSTILE[0] },
      request: new Request('http://localhost/art'),
      context: {},
    })) as Response
    expect(res.status).toBe(200)
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'/)
    expect(res.headers.get('Content-Security-Policy')).not.toMatch(/script-src/)
    expect(await res.text()).not.toMatch(/\son\w+=/)
  })
})

import type { LoaderFunctionArgs } from '@remix-run/node'
import { bannerArtSvg, productArtSvg } from '#app/utils/product-art'

// Generated illustrations depend only on the seed, so they are cached for a year.
export async function loader({ params }: LoaderFunctionArgs) {
  const seed = params.seed ?? ''
  if (seed.length > 100) throw new Response('Not found', { status: 404 })
  const svg = params.kind === 'product' ? productArtSvg(seed) : params.kind === 'banner' ? bannerArtSvg(seed) : null
  if (!svg) throw new Response('Not found', { status: 404 })
  return new Response(svg, {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
      // Opened on its own, an SVG is a document of this origin: it may draw, never run script.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

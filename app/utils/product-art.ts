// Deterministic product and banner illustrations (SVG), so demo data needs no network and no binary assets.
// A seed such as "womens:dress:3:17" picks the silhouette, colour and pattern.

const PALETTE = [
  ['#1f3a5f', 'navy'],
  ['#b23a48', 'crimson'],
  ['#2f6f4f', 'forest'],
  ['#d98e04', 'mustard'],
  ['#6b4e9b', 'violet'],
  ['#222222', 'black'],
  ['#e9e4da', 'ivory'],
  ['#c96f53', 'terracotta'],
  ['#4a90a4', 'teal'],
  ['#e58fa5', 'rose'],
  ['#7a6f5a', 'khaki'],
  ['#8c9aa8', 'grey'],
] as const
const BACKDROPS = ['#f4efe9', '#eef2f5', '#f3f0f7', '#eef5ef', '#f8f1e7', '#f5eeee']

function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

const SHAPES: Record<string, string> = {
  dress: 'M250 140 L350 140 L365 200 L340 260 L460 680 L140 680 L260 260 L235 200 Z',
  blouse: 'M230 150 L370 150 L470 230 L430 300 L390 270 L395 620 L205 620 L210 270 L170 300 L130 230 Z',
  skirt: 'M210 220 L390 220 L470 640 L130 640 Z',
  shirt: 'M220 140 L300 175 L380 140 L480 220 L440 300 L400 275 L400 640 L200 640 L200 275 L160 300 L120 220 Z',
  jacket:
    'M205 135 L300 175 L395 135 L465 165 L520 520 L462 532 L425 300 L420 640 L180 640 L175 300 L138 532 L80 520 L135 165 Z M296 180 L304 180 L304 640 L296 640 Z',
  trousers: 'M200 150 L400 150 L430 660 L330 660 L300 300 L270 660 L170 660 Z',
  kidstee: 'M240 230 L300 255 L360 230 L430 290 L400 340 L370 320 L370 560 L230 560 L230 320 L200 340 L170 290 Z',
  romper: 'M250 220 L350 220 L390 300 L380 480 L420 600 L320 600 L300 520 L280 600 L180 600 L220 480 L210 300 Z',
  sneaker:
    'M110 520 C130 420 210 400 260 420 L330 360 C360 340 400 350 420 380 L500 470 C530 500 520 560 480 560 L130 560 C110 560 105 540 110 520 Z',
  tote: 'M170 330 L430 330 L460 640 L140 640 Z M230 330 C230 210 370 210 370 330 L350 330 C350 240 250 240 250 330 Z',
  boot: 'M230 180 L340 180 L350 470 L480 520 C510 530 510 600 470 600 L230 600 Z',
  necklace: 'M180 200 C180 470 420 470 420 200 L405 200 C405 445 195 445 195 200 Z M275 440 L325 440 L300 520 Z',
  ring: 'M300 260 A140 140 0 1 0 300.1 260 Z M300 300 A100 100 0 1 1 299.9 300 Z M260 220 L340 220 L320 270 L280 270 Z',
  earrings:
    'M220 250 A20 20 0 1 0 220.1 250 Z M215 290 L225 290 L240 480 L200 480 Z M380 250 A20 20 0 1 0 380.1 250 Z M375 290 L385 290 L400 480 L360 480 Z',
}

export const SHAPES_BY_CATEGORY: Record<string, string[]> = {
  womens: ['dress', 'blouse', 'skirt'],
  mens: ['shirt', 'jacket', 'trousers'],
  kids: ['kidstee', 'romper'],
  shoes_bags: ['sneaker', 'tote', 'boot'],
  jewellery: ['necklace', 'ring', 'earrings'],
}

export function colourName(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length][1]
}

/**
 * The seed's last part as a label: only letters, digits, `_` and `-` (seeds carry brands' style codes and URL
 * text).
 */
const label = (text: string) => text.replace(/[^a-z0-9_-]/gi, '').slice(0, 40)

/** What a seed draws: the silhouette (a path in a 600×800 box), its colours and pattern. */
export interface ProductLook {
  shapeName: string
  shape: string
  fill: string
  accent: string
  backdrop: string
  /** 0 plain, 1 stripes, 2 dots, 3 checks. */
  pattern: number
  /** Stripes' angle in degrees. */
  angle: number
  metal: boolean
  hash: number
}

export function productLook(seed: string): ProductLook {
  const [category = '', shapeName = '', colourIdx = ''] = seed.split(':')
  const h = hash(seed)
  const shapes = Object.hasOwn(SHAPES_BY_CATEGORY, category)
    ? SHAPES_BY_CATEGORY[category]!
    : Object.values(SHAPES_BY_CATEGORY).flat()
  const name = Object.hasOwn(SHAPES, shapeName) ? shapeName : shapes[h % shapes.length]!
  return {
    shapeName: name,
    shape: SHAPES[name],
    fill: PALETTE[(Number(colourIdx) || h) % PALETTE.length][0],
    accent: PALETTE[(h >>> 8) % PALETTE.length][0],
    backdrop: BACKDROPS[(h >>> 4) % BACKDROPS.length],
    pattern: (h >>> 12) % 4,
    angle: (h >>> 16) % 90,
    metal: category === 'jewellery',
    hash: h,
  }
}

export function productArtSvg(seed: string): string {
  const n = seed.split(':')[3] ?? ''
  const { shape, fill, accent, backdrop: bg, pattern, angle, metal, hash: h } = productLook(seed)
  const patternDef =
    pattern === 1
      ? `<pattern id="p" width="28" height="28" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})"><rect width="12" height="28" fill="${accent}" opacity="0.35"/></pattern>`
      : pattern === 2
        ? `<pattern id="p" width="30" height="30" patternUnits="userSpaceOnUse"><circle cx="15" cy="15" r="5" fill="${accent}" opacity="0.45"/></pattern>`
        : pattern === 3
          ? `<pattern id="p" width="40" height="40" patternUnits="userSpaceOnUse"><path d="M0 20H40M20 0V40" stroke="${accent}" stroke-width="6" opacity="0.3"/></pattern>`
          : ''
  const body = metal
    ? `<path d="${shape}" fill="url(#metal)" fill-rule="evenodd" stroke="#8a6d1f" stroke-width="3"/><circle cx="300" cy="${h % 2 ? 500 : 290}" r="16" fill="${fill}" stroke="#fff" stroke-width="4"/>`
    : `<path d="${shape}" fill="${fill}" fill-rule="evenodd"/>${pattern ? `<path d="${shape}" fill="url(#p)" fill-rule="evenodd"/>` : ''}<path d="${shape}" fill="none" stroke="#000" stroke-opacity="0.18" stroke-width="4" fill-rule="evenodd"/>`
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 800" width="600" height="800" role="img" aria-label="product ${label(n)}">` +
    `<defs>${patternDef}<linearGradient id="metal" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f7e08b"/><stop offset="0.5" stop-color="#d4a93c"/><stop offset="1" stop-color="#f3d572"/></linearGradient>` +
    `<radialGradient id="bg" cx="0.5" cy="0.4" r="0.8"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="${bg}"/></radialGradient></defs>` +
    `<rect width="600" height="800" fill="url(#bg)"/><ellipse cx="300" cy="700" rx="220" ry="26" fill="#000" opacity="0.07"/>${body}</svg>`
  )
}

export function bannerArtSvg(seed: string): string {
  const h = hash(seed)
  const [a] = PALETTE[h % PALETTE.length]
  const [b] = PALETTE[(h >>> 8) % PALETTE.length]
  const shapes = Array.from({ length: 7 }, (_, i) => {
    const x = ((h >>> (i * 3)) % 1200) + 20
    const y = ((h >>> (i * 2 + 5)) % 300) + 10
    const r = 40 + ((h >>> i) % 90)
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="#fff" opacity="${0.06 + (i % 3) * 0.04}"/>`
  }).join('')
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1280 360" width="1280" height="360" role="img" aria-label="banner">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>` +
    `<rect width="1280" height="360" fill="url(#g)"/>${shapes}</svg>`
  )
}

// The English of discounts.ts, key for key (the Chinese is the reference, its keys are checked here).
import type { Widen } from '../widen'
import type { discountsZh } from './discounts'

export const discountsEn: Widen<typeof discountsZh> = {
  lowest: 'Up to {{off}}% off',
  previewLabel: 'Some items in this session',
  tier: '{{off}}% off',
  basePrice: 'Base price',
  levels: {
    title: 'Levels and what they give',
    intro:
      'More growth points, lower wholesale prices. Every ¥10 you spend earns 1 point, credited on payment and taken back on refund; joining and moving up are free.',
    level: 'Level',
    reach: 'Points to reach',
    price: 'Your price',
    keep: 'Keep / month',
    perks: 'Perks',
    you: 'Your level',
    priceNote: 'Prices are off each session’s base price: 3% off pays 97% of it.',
    perkInviteFrom:
      'From {{level}}: a personal invitation code. When a friend joins with it and pays her first order, you get {{points}} growth points (points only, never commission).',
    noKeep: '—',
  },
  change: {
    up: 'Congratulations! You moved up from {{from}} to {{to}}.',
    down: 'Your level changed from {{from}} to {{to}}.',
    price: 'Your price is now {{off}}% off the base price.',
    priceBase: 'You pay the base price.',
    downRetention: 'Why: last month’s growth points fell short of what {{from}} needs to keep it.',
    downPoints: 'Why: a refund took growth points back.',
    upNext: 'Keep ordering to reach the next level.',
    downNext: '{{points}} more growth points bring {{from}} back.',
  },
}

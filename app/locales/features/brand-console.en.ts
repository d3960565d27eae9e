// The English of brand-console.ts, key for key (the Chinese is the reference, its keys are checked here).
import type { Widen } from '../widen'
import type { brandConsoleZh } from './brand-console'

export const brandConsoleEn: Widen<typeof brandConsoleZh> = {
  depositGate: {
    banner:
      'Your brand deposit is not paid yet: you can already prepare products, import a CSV and draft sessions, but a session can only be scheduled once the deposit is paid.',
    bannerLink: 'Pay the deposit',
    scheduleRefused:
      'The session cannot be scheduled: the brand deposit has not been paid. Once it is paid your brand goes live and you can schedule.',
    scheduleHint: 'Sessions can be scheduled once the deposit is paid.',
  },
  product: { descriptionEn: 'English description (optional, shown to English readers)' },
}

// The English of phone.ts, key for key (the Chinese is the reference, its keys are checked here).
import type { Widen } from '../widen'
import type { phoneZh } from './phone'

export const phoneEn: Widen<typeof phoneZh> = {
  sheet: {
    filters: 'Filter',
    filtersCount: 'Filter ({{count}})',
    sortAndFilter: 'Filter and sort',
    close: 'Close',
    show: 'Show {{count}} items',
    all: 'All',
    reset: 'Reset',
  },
  session: {
    category: 'Category',
    size: 'Size',
    inStockOnly: 'In stock only',
    sort: 'Sort',
    sortDefault: 'Default',
    priceAsc: 'Price: low to high',
    priceDesc: 'Price: high to low',
    discount: 'Biggest discount',
    shown: '{{shown}} of {{total}} items',
  },
  buy: { buyNow: 'Buy now', forward: 'Forward', total: 'Total' },
  pay: { countdown: 'Time left to pay', expired: 'Time is up; the order is being cancelled' },
  busy: 'Working…',
  photos: {
    title: 'Product photos ({{count}}/{{max}})',
    hint: 'Up to 9; the first is the cover. Photos are resized for phones when uploaded.',
    cover: 'Cover',
    makeCover: 'Make cover',
    earlier: 'Move photo {{n}} earlier',
    later: 'Move photo {{n}} later',
    remove: 'Remove photo {{n}}',
    add: 'Add photos (several at once)',
    upload: 'Upload',
    alt: 'Product photo {{n}}',
    saved: 'Photos updated.',
    gallery: 'Product photos',
    of: 'Photo {{n}} of {{total}}',
    errors: {
      photos_too_many: 'A product has at most {{max}} photos.',
      photos_none: 'Choose the photos to upload.',
      image_too_large: 'The photo is too large.',
      image_bad_type: 'Only JPG, PNG and WebP photos.',
      image_unreadable: 'The photo could not be read.',
      bad_request: 'The request is malformed.',
    },
  },
}

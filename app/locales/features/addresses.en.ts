// The English of addresses.ts, key for key (the Chinese is the reference, its keys are checked here).
import type { Widen } from '../widen'
import type { addressesZh } from './addresses'

export const addressesEn: Widen<typeof addressesZh> = {
  newTitle: 'New address',
  editTitle: 'Edit address',
  edit: 'Edit',
  cancel: 'Cancel',
  default: 'Default',
  makeDefault: 'Make default',
  needsRegion: 'The region was typed in an older format: edit it to pick it from the list.',
  paste: {
    label: 'Paste a whole address to fill the fields',
    placeholder: 'e.g. 张三 13800000000 浙江省杭州市西湖区文三路1号',
    recognise: 'Fill',
    filled: 'Filled in: please check.',
    partial: 'Partly filled: please complete the rest.',
    none: 'No address found in the text: please fill it in.',
  },
  fields: {
    recipient: 'Recipient',
    phone: 'Mobile number',
    region: 'Region',
    province: 'Province',
    city: 'City',
    district: 'District',
    line: 'Street address',
    linePlaceholder: 'Street, number, building, flat',
  },
  errors: {
    region: 'Choose a province, city and district.',
  },
}

import { parseWithZod, unstable_coerceFormValue as coerceFormValue } from '@conform-to/zod'
import { describe, expect, it } from 'vitest'
import { CustomerCheckoutSchema } from '#app/schemas/customer-orders'
import { readOrderForm } from './customer-replies.server'

const SKU = '0b7c6f0e-3c1a-4a55-9b1e-6d2f8a9c0e11'
const valid = () =>
  new URLSearchParams([
    ['line', `${SKU}:2`],
    ['line', `${SKU.toUpperCase().replace('0B7', '1B7')}:1`],
    ['name', ' 顾客 '],
    ['phone', '139 0000 0001'],
    ['provinceCode', '310000'],
    ['cityCode', '310100'],
    ['districtCode', '310115'],
    ['address', '基准路 1 号'],
    ['email', ''],
    ['idempotencyKey', 'bag-12345678'],
  ])
const conform = (form: URLSearchParams) =>
  parseWithZod(form, { schema: coerceFormValue(CustomerCheckoutSchema), disableAutoCoercion: true })

describe('reading the order form', () => {
  it('reads a valid order as Conform reads it, without Conform', () => {
    const read = readOrderForm(valid())
    const expected = conform(valid())
    expect(expected.status).toBe('success')
    expect(read.order).toEqual({ ...(expected.status === 'success' ? expected.value : {}), region: expect.any(String) })
    expect(read.order!.email).toBeUndefined()
  })

  it('leaves what is not a valid order to Conform: field messages, a field sent twice, a region that does not fit', () => {
    const missing = valid()
    missing.delete('line')
    missing.set('phone', 'abc')
    const refused = readOrderForm(missing)
    expect(refused.order).toBeNull()
    expect(refused.order === null && refused.submission.status === 'error' && refused.submission.error).toMatchObject({
      line: ['customerOrders.errors.bag'],
      phone: ['customerOrders.errors.phone'],
    })

    const twice = valid()
    twice.append('name', '另一个')
    const both = readOrderForm(twice)
    expect(both.order).toBeNull()
    expect(both.order === null && both.submission.status).toBe('error')

    const elsewhere = valid()
    elsewhere.set('districtCode', '110101')
    expect(readOrderForm(elsewhere)).toMatchObject({
      order: null,
      fieldErrors: { region: ['addresses.errors.region'] },
    })
  })
})

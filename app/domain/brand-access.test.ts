import { describe, expect, it } from 'vitest'
import { brandActionRefusal, DepositRequiredError, depositOutstanding } from './brand-access'

describe('brand console access by status', () => {
  it('lets a brand awaiting its deposit prepare its catalog but not schedule a session', () => {
    expect(brandActionRefusal({ status: 'awaiting_deposit' }, 'prepare_catalog')).toBeNull()
    expect(brandActionRefusal({ status: 'awaiting_deposit' }, 'schedule_session')).toBe('deposit_required')
    expect(depositOutstanding({ status: 'awaiting_deposit' })).toBe(true)
  })

  it('lets a live brand do both, and never asks a live or suspended brand for a deposit', () => {
    expect(brandActionRefusal({ status: 'live' }, 'prepare_catalog')).toBeNull()
    expect(brandActionRefusal({ status: 'live' }, 'schedule_session')).toBeNull()
    expect(depositOutstanding({ status: 'live' })).toBe(false)
    expect(depositOutstanding({ status: 'suspended' })).toBe(false)
  })

  it('refuses with a 422 business error carrying its code', () => {
    const e = new DepositRequiredError('pay the deposit first')
    expect(e.status).toBe(422)
    expect(e.code).toBe('deposit_required')
  })
})

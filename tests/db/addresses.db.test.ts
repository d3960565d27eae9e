import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as addressRegions from '#db/migrations/2026_12_06_2130_address_regions'
import { action, loader } from '#app/routes/account.addresses'
import { action as regionsAction, loader as regionsLoader } from '#app/routes/regions'
import { addressForEdit, listAddresses } from '#app/services/orders/addresses.server'
import { createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const ctx = { params: {}, context: {} }
const me = { id: '', cookie: '' }
const other = { id: '', cookie: '' }

const XIHU = { provinceCode: '330000', cityCode: '330100', districtCode: '330106' }
const post = (fields: Record<string, string>, cookie = me.cookie) =>
  settle(() => action({ request: formRequest('/account/addresses', fields, { cookie }), ...ctx }))
const address = (over: Record<string, string> = {}) => ({
  kind: 'own',
  recipient: '张三',
  phone: '13800000000',
  ...XIHU,
  line: '文三路 1 号',
  ...over,
})
const book = async (cookie = me.cookie, query = '') =>
  (await settle(() => loader({ request: getRequest(`/account/addresses${query}`, cookie), ...ctx }))).json()

beforeAll(async () => {
  t = await createTestDatabase()
  for (const who of [me, other]) {
    who.id = (await createUser(t.db)).id
    who.cookie = await cookieFor(t.db, who.id)
  }
})
afterAll(() => t.drop())

describe('addresses saved before regions came from the list', () => {
  it('keep working: the oldest own address becomes the default, and editing reads the region from the text', async () => {
    // Back to the table as it was, with a member's rows written then.
    await addressRegions.down(t.db as unknown as Kysely<unknown>)
    const legacy = await createUser(t.db)
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute))
    const rows = await t.db
      .insertInto('addresses')
      .values([
        {
          member_id: legacy.id,
          kind: 'customer',
          recipient: '客户',
          phone: '13700000000',
          region: '上海 浦东',
          line: '世纪大道 1 号',
          created_at: at(0),
        },
        {
          member_id: legacy.id,
          kind: 'own',
          recipient: '旧址',
          phone: '13700000001',
          region: '杭州',
          line: '文三路 9 号',
          created_at: at(1),
          archived_at: at(2),
        },
        {
          member_id: legacy.id,
          kind: 'own',
          recipient: '本人',
          phone: '13700000002',
          region: '浙江省 杭州市 西湖区',
          line: '文三路 1 号',
          created_at: at(3),
        },
        {
          member_id: legacy.id,
          kind: 'own',
          recipient: '公司',
          phone: '13700000003',
          region: '北京',
          line: '建国路 93 号',
          created_at: at(4),
        },
      ] as never)
      .returning(['id', 'recipient'])
      .execute()
    await addressRegions.up(t.db as unknown as Kysely<unknown>)

    const list = await listAddresses(t.db, legacy.id)
    expect(list.map((a) => [a.recipient, a.isDefault, a.needsRegion, a.region])).toEqual([
      ['本人', true, true, '浙江省 杭州市 西湖区'],
      ['公司', false, true, '北京'],
      ['客户', false, true, '上海 浦东'],
    ])
    const mine = rows.find((r) => r.recipient === '本人')!.id
    expect(await addressForEdit(t.db, legacy.id, mine)).toMatchObject({ ...XIHU, line: '文三路 1 号' })
    // Too little to read a district from: the pickers start empty and the line stays as it was.
    const vague = rows.find((r) => r.recipient === '公司')!.id
    expect(await addressForEdit(t.db, legacy.id, vague)).toMatchObject({
      provinceCode: '110000',
      cityCode: '110100',
      districtCode: null,
      line: '建国路 93 号',
    })
    expect(await addressForEdit(t.db, me.id, mine)).toBeNull()
  })
})

describe('the address book', () => {
  it('saves the region by its codes and refuses a province, city and district that do not belong together', async () => {
    const mixed = await post(address({ cityCode: '320100', districtCode: '320102' }))
    expect(mixed.status).toBe(400)
    expect((await mixed.json()).result.error).toEqual({ region: ['addresses.errors.region'] })
    const badCode = await post(address({ districtCode: '3301' }))
    expect(badCode.status).toBe(400)
    expect((await badCode.json()).result.error.districtCode).toEqual(['addresses.errors.region'])
    expect((await post(address({ provinceCode: '' }))).status).toBe(400)

    expect((await post(address())).status).toBe(302)
    const { addresses } = await book()
    expect(addresses).toEqual([
      expect.objectContaining({ region: '浙江省 杭州市 西湖区', ...XIHU, isDefault: true, needsRegion: false }),
    ])
    const row = await t.db.selectFrom('addresses').selectAll().where('member_id', '=', me.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      province_code: '330000',
      city_code: '330100',
      district_code: '330106',
      is_default: true,
    })
  })

  it('moves the default, edits in place and keeps to the member’s own addresses', async () => {
    const beijing = { provinceCode: '110000', cityCode: '110100', districtCode: '110105' }
    expect((await post(address({ kind: 'customer', recipient: '李四', ...beijing }))).status).toBe(302)
    let { addresses } = await book()
    const first = addresses.find((a: { recipient: string }) => a.recipient === '张三')
    const second = addresses.find((a: { recipient: string }) => a.recipient === '李四')
    expect([first.isDefault, second.isDefault, second.region]).toEqual([true, false, '北京市 朝阳区'])

    expect((await post({ intent: 'default', addressId: second.id })).status).toBe(200)
    ;({ addresses } = await book())
    expect(addresses.map((a: { recipient: string; isDefault: boolean }) => [a.recipient, a.isDefault])).toEqual([
      ['李四', true],
      ['张三', false],
    ])

    const edited = await post(
      address({ addressId: first.id, districtCode: '330102', line: '解放路 2 号', makeDefault: 'on' }),
    )
    expect(edited.status).toBe(302)
    const editPage = await book(me.cookie, `?edit=${first.id}`)
    expect(editPage.editing).toMatchObject({ region: '浙江省 杭州市 上城区', line: '解放路 2 号', isDefault: true })
    expect(editPage.lists.districts.some((d: { code: string }) => d.code === '330102')).toBe(true)
    expect((await book()).addresses.filter((a: { isDefault: boolean }) => a.isDefault)).toHaveLength(1)

    // Another member can neither see, edit, default nor delete them.
    const stranger = other.cookie
    expect(
      (await settle(() => loader({ request: getRequest(`/account/addresses?edit=${first.id}`, stranger), ...ctx })))
        .status,
    ).toBe(404)
    expect((await post(address({ addressId: first.id }), stranger)).status).toBe(404)
    expect((await post({ intent: 'default', addressId: first.id }, stranger)).status).toBe(404)
    expect((await post({ intent: 'archive', addressId: first.id }, stranger)).status).toBe(404)
    expect((await post({ intent: 'default', addressId: 'nope' })).status).toBe(400)
    expect(
      (await settle(() => loader({ request: getRequest('/account/addresses?edit=nope', me.cookie), ...ctx }))).status,
    ).toBe(400)

    // Deleting the default leaves none until the member picks one; her next new address takes it.
    expect((await post({ intent: 'archive', addressId: first.id })).status).toBe(200)
    expect((await book()).addresses.map((a: { isDefault: boolean }) => a.isDefault)).toEqual([false])
    expect((await post(address({ recipient: '王五' }))).status).toBe(302)
    expect((await book()).addresses.find((a: { isDefault: boolean }) => a.isDefault).recipient).toBe('王五')
  })
})

describe('/regions', () => {
  it('lists one level at a time and reads a pasted address', async () => {
    const provinces = await (await settle(() => regionsLoader({ request: getRequest('/regions'), ...ctx }))).json()
    expect(provinces.options).toHaveLength(34)
    const districts = await (
      await settle(() => regionsLoader({ request: getRequest('/regions?parent=330100'), ...ctx }))
    ).json()
    expect(districts.options).toContainEqual({ code: '330106', name: '西湖区' })
    expect((await settle(() => regionsLoader({ request: getRequest('/regions?parent=abc'), ...ctx }))).status).toBe(400)

    const read = await settle(() =>
      regionsAction({
        request: formRequest('/regions', { text: '张三 13800000000 浙江省杭州市西湖区文三路1号' }),
        ...ctx,
      }),
    )
    expect(await read.json()).toMatchObject({ recipient: '张三', phone: '13800000000', ...XIHU, line: '文三路1号' })
    expect(
      (await settle(() => regionsAction({ request: formRequest('/regions', { text: ' ' }), ...ctx }))).status,
    ).toBe(400)
  })
})

import type { Conn } from '#db/queries/conn'

// Every demo member gets an own address and one customer (drop-ship) address, so checkout works at once.
export async function seedOrders(trx: Conn) {
  const members = await trx
    .selectFrom('users')
    .select(['id', 'display_name', 'phone'])
    .where('role', '=', 'member')
    .orderBy('email')
    .execute()
  if (!members.length) return
  await trx
    .insertInto('addresses')
    .values(
      members.flatMap((m, i) => [
        {
          member_id: m.id,
          kind: 'own' as const,
          recipient: m.display_name,
          phone: m.phone ?? `1390000000${i}`,
          region: '浙江省 杭州市 西湖区',
          province_code: '330000',
          city_code: '330100',
          district_code: '330106',
          is_default: true,
          line: `文三路 ${100 + i} 号 ${i + 1} 单元`,
        },
        {
          member_id: m.id,
          kind: 'customer' as const,
          recipient: `客户王${i + 1}`,
          phone: `1370000000${i}`,
          region: '上海市 浦东新区',
          province_code: '310000',
          city_code: '310100',
          district_code: '310115',
          line: `世纪大道 ${200 + i} 号`,
        },
      ]),
    )
    .execute()
}

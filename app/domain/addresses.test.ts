import { areaList } from '@vant/area-data'
import { describe, expect, it } from 'vitest'
import { indexDivisions, parseAddressText, regionLabel, resolveRegion } from './addresses'

const index = indexDivisions(areaList)

describe('parseAddressText', () => {
  it.each([
    [
      'name, mobile, address on one line',
      '张三 13800000000 浙江省杭州市西湖区文三路1号',
      {
        recipient: '张三',
        phone: '13800000000',
        provinceCode: '330000',
        cityCode: '330100',
        districtCode: '330106',
        line: '文三路1号',
      },
    ],
    [
      'a shop order copied with labels, one per line',
      '收货人：张三\n手机号码：13800000000\n所在地区：浙江省杭州市西湖区\n详细地址：文三路1号',
      {
        recipient: '张三',
        phone: '13800000000',
        provinceCode: '330000',
        cityCode: '330100',
        districtCode: '330106',
        line: '文三路1号',
      },
    ],
    [
      'full-width commas and spaces between the region parts',
      '李四，13912345678，广东省 深圳市 南山区 科技园路8号',
      {
        recipient: '李四',
        phone: '13912345678',
        provinceCode: '440000',
        cityCode: '440300',
        districtCode: '440305',
        line: '科技园路8号',
      },
    ],
    [
      'address first, name and a dashed mobile after it',
      '上海市徐汇区漕溪北路88号 王小姐 139-1234-5678',
      {
        recipient: '王小姐',
        phone: '13912345678',
        provinceCode: '310000',
        cityCode: '310100',
        districtCode: '310104',
        line: '漕溪北路88号',
      },
    ],
    [
      'no separators at all',
      '王五15800001111北京市朝阳区建国路93号',
      {
        recipient: '王五',
        phone: '15800001111',
        provinceCode: '110000',
        cityCode: '110100',
        districtCode: '110105',
        line: '建国路93号',
      },
    ],
    [
      'short province and city names, +86 and spaced digits',
      '浙江杭州西湖区文三路1号 张三 +86 138 0000 0000',
      {
        recipient: '张三',
        phone: '13800000000',
        provinceCode: '330000',
        cityCode: '330100',
        districtCode: '330106',
        line: '文三路1号',
      },
    ],
    [
      'no province: the city tells it',
      '杭州市西湖区文三路1号，张三，13800000000',
      {
        recipient: '张三',
        phone: '13800000000',
        provinceCode: '330000',
        cityCode: '330100',
        districtCode: '330106',
        line: '文三路1号',
      },
    ],
    [
      'a county-level city right after the province',
      '湖北省仙桃市沙嘴街道1号 赵六 13700001111',
      {
        recipient: '赵六',
        phone: '13700001111',
        provinceCode: '420000',
        cityCode: '429000',
        districtCode: '429004',
        line: '沙嘴街道1号',
      },
    ],
    [
      'an autonomous region by its short name, a street with spaces',
      '韦八 13600001111 广西南宁市青秀区 民族大道 1 号',
      {
        recipient: '韦八',
        phone: '13600001111',
        provinceCode: '450000',
        cityCode: '450100',
        districtCode: '450103',
        line: '民族大道 1 号',
      },
    ],
    [
      'a landline and the municipality written twice',
      '联系人: 陈七 电话: 021-88886666 地址: 上海市上海市徐汇区天钥桥路1号',
      {
        recipient: '陈七',
        phone: '021-88886666',
        provinceCode: '310000',
        cityCode: '310100',
        districtCode: '310104',
        line: '天钥桥路1号',
      },
    ],
    [
      'Chongqing counties sit under a second city of the municipality',
      'Lily 13500001111 重庆市巫山县广东中路2号',
      {
        recipient: 'Lily',
        phone: '13500001111',
        provinceCode: '500000',
        cityCode: '500200',
        districtCode: '500237',
        line: '广东中路2号',
      },
    ],
  ])('%s', (_what, text, expected) => {
    expect(parseAddressText(text, index)).toEqual(expected)
  })

  it('keeps what it found when the district is missing, and nothing it did not', () => {
    expect(parseAddressText('张三 13800000000 浙江省杭州市', index)).toEqual({
      recipient: '张三',
      phone: '13800000000',
      provinceCode: '330000',
      cityCode: '330100',
    })
    expect(parseAddressText('hello there', index)).toEqual({})
    expect(parseAddressText('', index)).toEqual({})
  })

  it('never reads a street number as a phone', () => {
    expect(parseAddressText('浙江省杭州市西湖区文三路138号', index).phone).toBeUndefined()
  })
})

describe('resolveRegion', () => {
  it('accepts a real province → city → district chain and labels it', () => {
    expect(resolveRegion(index, { provinceCode: '330000', cityCode: '330100', districtCode: '330106' })).toMatchObject({
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      label: '浙江省 杭州市 西湖区',
    })
    expect(resolveRegion(index, { provinceCode: '110000', cityCode: '110100', districtCode: '110105' })?.label).toBe(
      '北京市 朝阳区',
    )
  })

  it.each([
    ['a city of another province', { provinceCode: '320000', cityCode: '330100', districtCode: '330106' }],
    ['a district of another city', { provinceCode: '330000', cityCode: '330100', districtCode: '330203' }],
    ['a district given as the city', { provinceCode: '330000', cityCode: '330106', districtCode: '330106' }],
    ['unknown codes', { provinceCode: '990000', cityCode: '990100', districtCode: '990101' }],
    ['a city given as the province', { provinceCode: '330100', cityCode: '330100', districtCode: '330106' }],
  ])('refuses %s', (_what, codes) => {
    expect(resolveRegion(index, codes)).toBeNull()
  })

  it('leaves grouping cities out of the label', () => {
    expect(regionLabel('湖北省', '省直辖县', '仙桃市')).toBe('湖北省 仙桃市')
  })
})

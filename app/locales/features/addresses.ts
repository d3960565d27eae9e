// Addresses: region pickers, paste-to-fill, the default address.
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const addressesZh = {
  newTitle: '新增收货地址',
  editTitle: '编辑收货地址',
  edit: '编辑',
  cancel: '取消',
  default: '默认',
  makeDefault: '设为默认地址',
  needsRegion: '省市区为旧格式，请编辑后从列表中选择。',
  paste: {
    label: '粘贴整段地址，自动识别',
    placeholder: '例如：张三 13800000000 浙江省杭州市西湖区文三路1号',
    recognise: '识别',
    filled: '已识别并填好，请核对。',
    partial: '已识别部分信息，请补全其余各项。',
    none: '没有识别出地址，请手动填写。',
  },
  fields: {
    recipient: '收货人',
    phone: '手机号码',
    region: '所在地区',
    province: '省份',
    city: '城市',
    district: '区/县',
    line: '详细地址',
    linePlaceholder: '街道、门牌号、小区楼栋',
  },
  errors: {
    region: '请选择省、市、区（县）。',
  },
} as const

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

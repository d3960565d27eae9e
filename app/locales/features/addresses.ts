// Addresses: region pickers, paste-to-fill, the default address.
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

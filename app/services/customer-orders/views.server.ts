// Row → view mappers shared by the customer's order page and the reseller's list of her customers' orders: what both
// may show of a line and of a parcel. Nothing of the reseller's side (her own price, her markup) is here; her view
// adds it next to these fields, so the customer's page cannot pick it up by sharing the mapper.

export function customerLineView(l: {
  id: string
  title: string
  size: string
  colour: string
  /** The SKU's English names ('' = none; see lineOptionNamesEn). */
  size_en: string
  colour_en: string
  quantity: number
  refunded_quantity: number
  retail_unit_minor: number
}) {
  return {
    id: l.id,
    title: l.title,
    size: l.size,
    colour: l.colour,
    sizeEn: l.size_en,
    colourEn: l.colour_en,
    quantity: l.quantity,
    refundedQuantity: l.refunded_quantity,
    retailUnitMinor: l.retail_unit_minor,
  }
}

export function parcelView<S extends string>(o: {
  id: string
  status: S
  carrier: string | null
  tracking_no: string | null
}) {
  return { id: o.id, status: o.status, carrier: o.carrier, trackingNo: o.tracking_no }
}

// What a customer's payment does once it succeeds: the checkout and its orders become paid (the brand's
// 24-hour clock starts) and the reseller's growth points are credited on her own price. Each line's markup becomes
// her pending earning in the journal, posted with the payment itself (journalPaymentSucceeded). The reseller is told
// and the customer, when she gave an e-mail, gets a mail with her private page. No invitation bonus: nobody earns
// anything from another's customers.
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import { UUID } from '#app/utils/http.server'
import { handleLatePayment, markCheckoutPaid, type OrderPayment } from '#app/services/orders/order-payments.server'
import { creditPurchasePoints } from '#app/services/membership/growth.server'
import { customerOrderNotices } from '#app/services/notifications/events.server'

export const customerOrderPaymentHandler = {
  async onSucceeded(trx: Transaction<Database>, payment: OrderPayment, now: Date) {
    if (!UUID.test(payment.reference_id)) return 'missing' as const
    const won = await markCheckoutPaid(trx, payment, now)
    if (!won) return handleLatePayment(trx, payment, now)
    for (const o of won.orders) {
      await creditPurchasePoints(trx, { memberId: won.memberId, orderId: o.id, paidGoodsMinor: o.goods_minor, now })
    }
    await customerOrderNotices(
      trx,
      'paid',
      won.orders.map((o) => o.id),
      now,
    )
    return 'paid' as const
  },
  /** A failed or abandoned payment changes nothing: the order stays payable until its hold expires. */
  async onFailed() {},
}

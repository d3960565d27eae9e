import { registerPaymentPurposes } from '#app/services/payments/register-purposes.server'

// What the app's entry points do at start-up: tests that reach payments directly need the same wiring.
registerPaymentPurposes()

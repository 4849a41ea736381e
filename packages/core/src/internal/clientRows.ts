/**
 * The user's rows (`surface: "client"`), gathered once: `Api.ts` adds the sandbox-only rows to
 * them, and the sandbox-only rows name them (`sandbox.createFault`'s `operation`) without an
 * import cycle through `Api.ts`.
 */
import { CustomerEndpoints } from "../Customer.js"
import { PaymentEndpoints } from "../Payment.js"
import { PaymentMethodEndpoints } from "../PaymentMethod.js"
import { RefundEndpoints } from "../Refund.js"

/** @internal */
export const clientEndpoints = {
  ...PaymentEndpoints,
  ...RefundEndpoints,
  ...CustomerEndpoints,
  ...PaymentMethodEndpoints
} as const

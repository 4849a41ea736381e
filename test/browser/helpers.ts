/** Helpers for the browser suite (runs in Chromium). */
import { PaymentId } from "@paymentflow/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { inject } from "vitest"
import type { PaymentName } from "./globalSetup.js"

/** A well-formed publishable test key (the sandbox accepts any). */
export const PK = "pk_test_Br0wserSuite0000000000000001"
/** A well-formed secret test key: what must never work in a browser. */
export const SK = "sk_test_Br0wserSuiteSecret000000000042"

/** A card that is not expired, whatever year the suite runs in. */
export const card = (number: string) => ({ number, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: "123" })

/** A fresh path prefix on the witness server, so tests never see each other's requests. */
export const lane = (kind: string): string => `${kind}-${crypto.randomUUID()}`

export const witnessUrl = (): string => inject("witnessUrl")

/** How many requests (preflights included) the witness saw in a lane. */
export const requestsSeen = (name: string): Promise<number> =>
  fetch(`${witnessUrl()}/__witness/count/${name}`)
    .then((r) => r.json())
    .then((body: unknown) => (typeof body === "object" && body !== null && "count" in body && typeof body.count === "number" ? body.count : -1))

/** Resolves when the witness has seen `event` (`arrived`, `aborted`) in a lane: no sleeping. */
export const seen = (event: "arrived" | "aborted", name: string): Promise<void> =>
  fetch(`${witnessUrl()}/__witness/wait/${event}/${name}`).then((r) => {
    if (!r.ok) throw new Error(`witness: ${r.status}`)
  })

export const seenEffect = (event: "arrived" | "aborted", name: string) => Effect.promise(() => seen(event, name))

export const paymentId = Schema.decodeSync(PaymentId)("pay_000000000000000000000000")

/** A well-formed client secret of no payment. */
export const noSuchSecret = `${paymentId}_secret_000000000000000000000000`

/** A pending payment the merchant's server (`globalSetup.ts`, secret key) created for this page. */
export const payment = (name: PaymentName): { readonly id: string; readonly clientSecret: string } => {
  const made = inject("payments")[name]
  if (made === undefined) throw new Error(`globalSetup created no payment ${name}`)
  return made
}

/**
 * Webhook verification vectors for the browser suite. Node signs them (node:crypto) and records
 * what core's verifier answers there; the browser suite checks that Web Crypto in Chromium gives
 * the same answer for every one. Node only (`buildVectors`); the types are shared.
 */
import * as Webhook from "@paymentflow/core/Webhook"
import * as NodeHmac from "@paymentflow/node/NodeHmac"
import { body, NOW, paymentJson, SECRET } from "../../packages/core/test/WebhookFixtures.js"

/** What a verification came to, in a form that crosses from Node to the browser. */
export type Outcome =
  | { readonly ok: true; readonly id: string; readonly type: string; readonly dataId: string }
  | { readonly ok: false; readonly tag: string; readonly code: string }

/** One case: the raw body, the header (or none), the secret, the receiver's clock, and Node's answer. */
export interface Vector {
  readonly name: string
  readonly payload: string
  readonly header: string | null
  readonly secret: string
  readonly nowMillis: number
  readonly node: Outcome
}

/** Core's webhook fixtures, with a description that also holds a 4-byte UTF-8 character. */
const payment = (overrides: Record<string, unknown> = {}) =>
  paymentJson({ description: "Café crème × 2 — €25.99 ☕", ...overrides })

const event = (overrides: Record<string, unknown> = {}) => body({ data: payment(), ...overrides })

const sign = (payload: string, secret: string, timestamp: number): string =>
  `t=${timestamp},v1=${NodeHmac.hmac.signSync(secret, `${timestamp}.${payload}`)}`

/** Node's answer, from core's verifier on node:crypto. */
export const verifyInNode = (payload: string, header: string | null, secret: string, nowMillis: number): Outcome => {
  try {
    const verified = Webhook.constructEventSync(payload, header, secret, { hmac: NodeHmac.hmac, now: () => nowMillis })
    return { ok: true, id: verified.id, type: verified.type, dataId: verified.data.id }
  } catch (error) {
    if (error instanceof Webhook.SignatureVerificationError || error instanceof Webhook.WebhookPayloadError) {
      return { ok: false, tag: error._tag, code: error.code }
    }
    throw error
  }
}

export const buildVectors = (): ReadonlyArray<Vector> => {
  const good = event()
  const cases: ReadonlyArray<Omit<Vector, "node">> = [
    { name: "valid signature", payload: good, header: sign(good, SECRET, NOW), secret: SECRET, nowMillis: NOW * 1000 },
    {
      name: "failed payment event",
      payload: event({ type: "payment.failed", data: payment({ status: "failed", failure_code: "card_declined", failure_message: "Your card was declined." }) }),
      header: "",
      secret: SECRET,
      nowMillis: NOW * 1000
    },
    { name: "one byte of the body changed", payload: good.replace("2599", "2598"), header: sign(good, SECRET, NOW), secret: SECRET, nowMillis: NOW * 1000 },
    { name: "another secret", payload: good, header: sign(good, "whsec_other", NOW), secret: SECRET, nowMillis: NOW * 1000 },
    {
      name: "rotated secret: second v1 matches",
      payload: good,
      header: `${sign(good, "whsec_old", NOW)},v1=${NodeHmac.hmac.signSync(SECRET, `${NOW}.${good}`)}`,
      secret: SECRET,
      nowMillis: NOW * 1000
    },
    { name: "301 seconds old", payload: good, header: sign(good, SECRET, NOW - 301), secret: SECRET, nowMillis: NOW * 1000 },
    { name: "300 seconds old", payload: good, header: sign(good, SECRET, NOW - 300), secret: SECRET, nowMillis: NOW * 1000 },
    { name: "301 seconds ahead", payload: good, header: sign(good, SECRET, NOW + 301), secret: SECRET, nowMillis: NOW * 1000 },
    { name: "missing header", payload: good, header: null, secret: SECRET, nowMillis: NOW * 1000 },
    { name: "malformed header", payload: good, header: "t=abc,v1=zz", secret: SECRET, nowMillis: NOW * 1000 },
    { name: "upper-case hex", payload: good, header: sign(good, SECRET, NOW).toUpperCase().replace("T=", "t=").replace("V1=", "v1="), secret: SECRET, nowMillis: NOW * 1000 },
    { name: "signed, but not JSON", payload: "not json", header: "", secret: SECRET, nowMillis: NOW * 1000 },
    { name: "signed, unknown event type", payload: event({ type: "payment.exploded" }), header: "", secret: SECRET, nowMillis: NOW * 1000 },
    { name: "non-ASCII secret", payload: good, header: sign(good, "whsec_ünïcødé☕", NOW), secret: "whsec_ünïcødé☕", nowMillis: NOW * 1000 }
  ]
  return cases.map((c) => {
    // An empty header means "signed correctly": the case is about the body, not the signature.
    const header = c.header === "" ? sign(c.payload, c.secret, NOW) : c.header
    return { ...c, header, node: verifyInNode(c.payload, header, c.secret, c.nowMillis) }
  })
}

/**
 * Section 2, in its own process: verify one signed 1 KB `payment.succeeded` webhook, over and
 * over. Every contender parses the `t=…,v1=…` header, checks the HMAC-SHA256 of `<t>.<body>`
 * in constant time, checks the timestamp tolerance and parses the body; ours also decodes the
 * event against its schema (the "full decode"). Sync contenders run in a tight loop, async
 * ones await each verification in turn, as a request handler would.
 */
import { Hmac } from "@paymentflow/core/Hmac"
import * as Webhook from "@paymentflow/core/Webhook"
import { NodeHmac } from "@paymentflow/node"
import * as Effect from "effect/Effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import Stripe from "stripe"
import { readInput, writeOutput } from "../lib/child.js"
import { API_KEY, WEBHOOK_SECRET, webhookPayload } from "../lib/fixtures.js"
import { WebhooksInput, type WebhooksOutput } from "../lib/results.js"
import { compare, type Contender, now } from "../lib/stats.js"

type Name = keyof WebhooksOutput["opsPerSec"]

const input = readInput(WebhooksInput)
const payload = webhookPayload(input.payloadBytes)
const timestamp = Math.floor(Date.now() / 1000)
const signature = createHmac("sha256", WEBHOOK_SECRET).update(`${timestamp}.${payload}`).digest("hex")
const header = `t=${timestamp},v1=${signature}`
const TOLERANCE = 300

/** The least a correct verifier does: what the floors share. */
const parseHeader = (value: string): { readonly t: number; readonly v1: ReadonlyArray<string> } => {
  let t = Number.NaN
  const v1: Array<string> = []
  for (const part of value.split(",")) {
    const eq = part.indexOf("=")
    const key = part.slice(0, eq)
    if (key === "t") t = Number(part.slice(eq + 1))
    else if (key === "v1") v1.push(part.slice(eq + 1))
  }
  if (!Number.isInteger(t) || v1.length === 0) throw new Error("malformed header")
  return { t, v1 }
}
const checkTolerance = (t: number) => {
  if (Math.abs(Math.floor(Date.now() / 1000) - t) > TOLERANCE) throw new Error("timestamp out of tolerance")
}

const floorNode = (): unknown => {
  const { t, v1 } = parseHeader(header)
  const expected = createHmac("sha256", WEBHOOK_SECRET).update(`${t}.`).update(payload).digest()
  if (!v1.some((s) => s.length === 64 && timingSafeEqual(Buffer.from(s, "hex"), expected))) throw new Error("no match")
  checkTolerance(t)
  return JSON.parse(payload)
}

const encoder = new TextEncoder()
const webKey = await crypto.subtle.importKey("raw", encoder.encode(WEBHOOK_SECRET), { name: "HMAC", hash: "SHA-256" }, false, [
  "verify"
])
const fromHex = (hex: string): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(new ArrayBuffer(hex.length >> 1))
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}
/** Web Crypto with the key imported once: `subtle.verify` compares in constant time. */
const floorWebCrypto = async (): Promise<unknown> => {
  const { t, v1 } = parseHeader(header)
  const data = encoder.encode(`${t}.${payload}`)
  let match = false
  for (const s of v1) if (await crypto.subtle.verify("HMAC", webKey, fromHex(s), data)) match = true
  if (!match) throw new Error("no match")
  checkTolerance(t)
  return JSON.parse(payload)
}

const stripe = new Stripe(API_KEY)
const subtleProvider = Stripe.createSubtleCryptoProvider()

const syncLoop = (f: () => unknown) => (n: number): Promise<number> => {
  const t0 = now()
  for (let i = 0; i < n; i++) f()
  return Promise.resolve(now() - t0)
}
const asyncLoop = (f: () => Promise<unknown>) => async (n: number): Promise<number> => {
  const t0 = now()
  for (let i = 0; i < n; i++) await f()
  return now() - t0
}
/** The Effect verifier inside an Effect program, the Hmac service provided once. */
const effectLoop = (n: number): Promise<number> =>
  Promise.resolve(Effect.runSync(
    Effect.gen(function*() {
      const t0 = now()
      for (let i = 0; i < n; i++) yield* Webhook.constructEvent(payload, header, WEBHOOK_SECRET)
      return now() - t0
    }).pipe(Effect.provideService(Hmac, NodeHmac.hmac))
  ))

const sync: ReadonlyArray<Contender<Name>> = [
  { name: "floorNode", run: syncLoop(floorNode) },
  { name: "oursSync", run: syncLoop(() => Webhook.constructEventSync(payload, header, WEBHOOK_SECRET, { hmac: NodeHmac.hmac })) },
  { name: "oursEffect", run: effectLoop },
  { name: "stripeSync", run: syncLoop(() => stripe.webhooks.constructEvent(payload, header, WEBHOOK_SECRET)) }
]
const async: ReadonlyArray<Contender<Name>> = [
  { name: "floorWebCrypto", run: asyncLoop(floorWebCrypto) },
  { name: "oursWebCrypto", run: asyncLoop(() => Webhook.constructEventPromise(payload, header, WEBHOOK_SECRET)) },
  {
    name: "stripeAsyncSubtle",
    run: asyncLoop(() => stripe.webhooks.constructEventAsync(payload, header, WEBHOOK_SECRET, undefined, subtleProvider))
  },
  { name: "stripeAsyncDefault", run: asyncLoop(() => stripe.webhooks.constructEventAsync(payload, header, WEBHOOK_SECRET)) }
]

// Every verifier accepts the webhook before anything is timed.
for (const c of [...sync, ...async]) await c.run(1)

const opsPerSec: Partial<Record<Name, number>> = {}
const s = await compare(sync, { warmup: input.warmup, n: input.nSync, repeats: input.repeats })
for (const [name, ms] of s) opsPerSec[name] = input.nSync / (ms / 1000)
const a = await compare(async, { warmup: input.warmup, n: input.nAsync, repeats: input.repeats })
for (const [name, ms] of a) opsPerSec[name] = input.nAsync / (ms / 1000)
writeOutput({ opsPerSec })

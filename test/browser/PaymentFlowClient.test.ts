import { AuthenticationError, isPaymentFlowError, NotFoundError, PaymentFlowClient, ValidationError } from "@paymentflow/browser"
import { afterAll, describe, expect, expectTypeOf, inject, it } from "vitest"
import { card, lane, noSuchSecret, payment, PK, requestsSeen, seen, SK, witnessUrl } from "./helpers.js"

const clients: Array<PaymentFlowClient> = []
const client = (options: ConstructorParameters<typeof PaymentFlowClient>[0]) => {
  const made = new PaymentFlowClient(options)
  clients.push(made)
  return made
}
afterAll(() => Promise.all(clients.map((c) => c.close())))

describe("PaymentFlowClient (Promises) in Chromium", () => {
  it("retrieves and confirms the payment its server created, by the client secret, over CORS", async () => {
    const pf = client({ apiKey: PK, baseUrl: inject("sandboxUrl") })
    const { clientSecret, id } = payment("promiseExpired")
    const pending = await pf.payments.retrieve(clientSecret)
    expect(pending).toMatchObject({ id, status: "pending", amount: 4200, currency: "GBP", customerEmail: "ada@example.com" })
    const confirmed = await pf.payments.confirm(clientSecret, { paymentMethod: { card: card("4000000000000069") } })
    expect(confirmed).toMatchObject({ id, status: "failed", failureCode: "expired_card", clientSecret })
    expect(await pf.payments.retrieve(clientSecret)).toEqual(confirmed)
  })

  it("rejects with the SDK's error classes themselves, not wrappers", async () => {
    const pf = client({ apiKey: PK, baseUrl: inject("sandboxUrl") })
    const { clientSecret } = payment("promiseTwice")
    const invalid = await pf.payments.confirm(clientSecret, { paymentMethod: { card: card("42") } }).catch((e: unknown) => e)
    expect(invalid).toBeInstanceOf(ValidationError)
    expect(isPaymentFlowError(invalid)).toBe(true)
    expect(invalid).toMatchObject({ field: "payment_method.card.number" })
    const malformed = await pf.payments.retrieve("nope").catch((e: unknown) => e)
    expect(malformed).toBeInstanceOf(ValidationError)
    expect(malformed).toMatchObject({ field: "client_secret", code: "parameter_invalid" })
    const missing = await pf.payments.retrieve(noSuchSecret).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(NotFoundError)
    const confirmTwice = await pf.payments.confirm(clientSecret, { paymentMethod: { card: card("4242424242424242") } })
      .then(() => pf.payments.confirm(clientSecret, { paymentMethod: { card: card("4242424242424242") } }))
      .catch((e: unknown) => e)
    expect(confirmTwice).toMatchObject({ _tag: "ConflictError", code: "payment_not_confirmable", statusCode: 409 })
  })

  it("its type has only payments.retrieve/confirm and webhooks", () => {
    expectTypeOf<PaymentFlowClient>().toHaveProperty("payments")
    expectTypeOf<PaymentFlowClient>().toHaveProperty("webhooks")
    expectTypeOf<PaymentFlowClient>().not.toHaveProperty("customers")
    expectTypeOf<PaymentFlowClient>().not.toHaveProperty("refunds")
    expectTypeOf<PaymentFlowClient["payments"]>().not.toHaveProperty("create")
    expectTypeOf<PaymentFlowClient["payments"]>().not.toHaveProperty("list")
    expectTypeOf<PaymentFlowClient["payments"]>().not.toHaveProperty("cancel")
    const pf = client({ apiKey: PK })
    expect(Object.keys(pf.payments).sort()).toEqual(["confirm", "retrieve"])
    expect("customers" in pf).toBe(false)
  })

  it("an sk_ key is refused on every call with secret_key_in_browser, and the server sees nothing", async () => {
    const name = lane("sk-facade")
    const pf = client({ apiKey: SK, baseUrl: `${witnessUrl()}/${name}` })
    const results = await Promise.all([
      pf.payments.retrieve(noSuchSecret).catch((e: unknown) => e),
      pf.payments.confirm(noSuchSecret, { paymentMethod: { card: card("4242424242424242") } }).catch((e: unknown) => e)
    ])
    for (const error of results) {
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error).toMatchObject({ code: "secret_key_in_browser" })
      expect(String(error)).not.toContain(SK)
    }
    expect(await requestsSeen(name)).toBe(0)
  })

  it("an AbortSignal aborts the call and its request", async () => {
    const name = lane("hang-facade")
    const pf = client({ apiKey: PK, baseUrl: `${witnessUrl()}/${name}`, maxRetries: 0 })
    const controller = new AbortController()
    const call = pf.payments.retrieve(noSuchSecret, { signal: controller.signal }).catch((e: unknown) => e)
    await seen("arrived", name)
    const reason = new Error("the shopper left the page")
    controller.abort(reason)
    await seen("aborted", name)
    expect(await call).toBe(reason)
  })
})

describe("webhook verification in Chromium (Web Crypto) answers as core does in Node (node:crypto)", () => {
  const vectors = inject("webhookVectors")
  const outcomeOf = (promise: Promise<{ readonly id: string; readonly type: string; readonly data: { readonly id: string } }>) =>
    promise.then(
      (event) => ({ ok: true, id: event.id, type: event.type, dataId: event.data.id }),
      (error: unknown) => ({
        ok: false,
        tag: typeof error === "object" && error !== null && "_tag" in error ? error._tag : String(error),
        code: typeof error === "object" && error !== null && "code" in error ? error.code : undefined
      })
    )

  it("covers both verdicts", () => {
    expect(vectors.filter((v) => v.node.ok).length).toBeGreaterThanOrEqual(3)
    expect(vectors.filter((v) => !v.node.ok).length).toBeGreaterThanOrEqual(5)
  })

  it.each(vectors.map((v) => [v.name, v] as const))("%s", async (_name, vector) => {
    const pf = client({ apiKey: PK })
    const options = { now: () => vector.nowMillis }
    expect(await outcomeOf(pf.webhooks.constructEvent(vector.payload, vector.header, vector.secret, options))).toEqual(vector.node)
    // The raw bytes, as a receiver might hold them, verify the same.
    const bytes = new TextEncoder().encode(vector.payload)
    expect(await outcomeOf(pf.webhooks.constructEvent(bytes, vector.header, vector.secret, options))).toEqual(vector.node)
  })
})

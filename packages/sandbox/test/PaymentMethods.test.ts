/**
 * Saved payment methods over raw HTTP against the Node server, rule by rule as the contract's
 * "Saved payment methods (repeat transactions)" section states them, under both API versions
 * (payment methods exist under both: they are an addition that breaks no one).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Customer } from "@paymentflow/core/Customer"
import { Event } from "@paymentflow/core/Event"
import { type Payment, Payment as PaymentSchema, PaymentWithSecret } from "@paymentflow/core/Payment"
import { PaymentMethod, PaymentMethodList } from "@paymentflow/core/PaymentMethod"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { card, client, decode, expectError, freshKey, type Reply, uniqueEmail } from "./http.js"

let server: RunningServer
let raw: ReturnType<typeof client>

beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: 100_000 })
  raw = client(server.url)
})
afterAll(() => server.close())

describe.each(["2026-12-01", "2025-06-01"])("payment methods under PaymentFlow-Version %s", (version) => {
  const call = (method: string, path: string, options: Parameters<typeof raw>[2] = {}) =>
    raw(method, path, { ...options, headers: { "PaymentFlow-Version": version, ...options.headers } })
  // a payment carries its client_secret from 2026-12-01 (decoded strictly: no field more or less)
  const payment = (r: Reply): Payment => (version === "2025-06-01" ? decode(PaymentSchema, r) : decode(PaymentWithSecret, r))
  const newCustomer = async () => decode(Customer, await call("POST", "/v1/customers", { body: { email: uniqueEmail() } }))
  const newMethod = async (number = "4242424242424242", key?: string) =>
    decode(PaymentMethod, await call("POST", "/v1/payment_methods", { body: card(number), ...(key === undefined ? {} : { key }) }))
  const pay = (body: Record<string, unknown>) => call("POST", "/v1/payments", { body: { amount: 1500, currency: "USD", ...body } })
  const attach = (pm: string, customer: string) => call("POST", `/v1/payment_methods/${pm}/attach`, { body: { customer } })
  const detach = (pm: string) => call("POST", `/v1/payment_methods/${pm}/detach`)

  it("POST /v1/payment_methods checks the card like a payment and returns an unattached method: brand, last4, expiry, no number or CVC", async () => {
    const r = await call("POST", "/v1/payment_methods", { body: card("5555555555554444") })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      id: expect.stringMatching(/^pm_[A-Za-z0-9]{24}$/),
      object: "payment_method",
      type: "card",
      card: { brand: "mastercard", last4: "4444", exp_month: 12, exp_year: 2099 },
      customer: null,
      created: expect.any(Number)
    })
    expect(r.text).not.toContain("5555555555554444")
    expect(r.text).not.toContain("\"cvc\"")
    expect((await newMethod("4242424242424242")).card.brand).toBe("visa")
    // the same checks as a payment's card: Luhn, expiry, test cards only (fields under `card`)
    expectError(await call("POST", "/v1/payment_methods", { body: card("4242424242424241") }), "parameter_invalid", "card.number")
    expectError(await call("POST", "/v1/payment_methods", { body: card("4111111111111111") }), "card_not_test", "card.number")
    expectError(
      await call("POST", "/v1/payment_methods", { body: { card: { number: "4242424242424242", exp_month: 1, exp_year: 2020, cvc: "123" } } }),
      "parameter_invalid",
      "card.exp_year"
    )
    expectError(await call("POST", "/v1/payment_methods", { body: {} }), "parameter_missing", "card")
    // a publishable key may create one (and retrieve nothing)
    const pk = freshKey("pk")
    const fromBrowser = await newMethod("4242424242424242", pk)
    expectError(await call("GET", `/v1/payment_methods/${fromBrowser.id}`, { key: pk }), "permission_denied")
    expect(decode(PaymentMethod, await call("GET", `/v1/payment_methods/${fromBrowser.id}`))).toEqual(fromBrowser)
    expectError(await call("GET", "/v1/payment_methods/pm_000000000000000000000000"), "resource_missing")
  })

  it("an unattached method is used once: after one confirmed payment (whatever its outcome) it can be neither used again nor attached", async () => {
    const declinedPm = await newMethod("4000000000000002")
    const failed = payment(await pay({ payment_method: declinedPm.id }))
    expect(failed).toMatchObject({ status: "failed", failureCode: "card_declined", paymentMethod: declinedPm.id })
    expectError(await pay({ payment_method: declinedPm.id }), "payment_method_unusable", "payment_method")
    const customer = await newCustomer()
    expectError(await attach(declinedPm.id, customer.id), "payment_method_unusable")
    // through confirm too
    const pm = await newMethod()
    const pending = payment(await pay({}))
    expect(pending.paymentMethod).toBeNull()
    const confirmed = payment(await call("POST", `/v1/payments/${pending.id}/confirm`, { body: { payment_method: pm.id } }))
    expect(confirmed).toMatchObject({ status: "succeeded", paymentMethod: pm.id })
    const other = payment(await pay({}))
    expectError(await call("POST", `/v1/payments/${other.id}/confirm`, { body: { payment_method: pm.id } }), "payment_method_unusable", "payment_method")
    expect(payment(await call("GET", `/v1/payments/${other.id}`)).status).toBe("pending")
    // an unknown pm_… → 404 on payment_method
    expectError(await pay({ payment_method: "pm_000000000000000000000000" }), "resource_missing", "payment_method")
    expectError(await pay({ payment_method: "pm_short" }), "parameter_invalid", "payment_method")
  })

  it("a card given inline is stored as a new, unattached, used payment method: every confirmed payment names one", async () => {
    const p = payment(await pay({ payment_method: card("5555555555554444") }))
    expect(p.status).toBe("succeeded")
    expect(p.paymentMethod).toMatch(/^pm_/)
    const pm = decode(PaymentMethod, await call("GET", `/v1/payment_methods/${p.paymentMethod}`))
    expect(pm).toMatchObject({ customer: null, card: { brand: "mastercard", last4: "4444" } })
    expectError(await pay({ payment_method: pm.id }), "payment_method_unusable", "payment_method")
    // an inline card that is refused records nothing
    const pending = payment(await pay({}))
    expectError(await call("POST", `/v1/payments/${pending.id}/confirm`, { body: { payment_method: card("4111111111111111") } }), "card_not_test", "payment_method.card.number")
    expect(payment(await call("GET", `/v1/payments/${pending.id}`)).paymentMethod).toBeNull()
  })

  it("attached: used any number of times, only for that customer's payments; the repeat charge is one call", async () => {
    const customer = await newCustomer()
    const pm = await newMethod()
    const attached = decode(PaymentMethod, await attach(pm.id, customer.id))
    expect(attached).toEqual({ ...pm, customer: customer.id })
    for (let i = 0; i < 3; i++) {
      const p = payment(await pay({ customer: customer.id, payment_method: pm.id }))
      expect(p).toMatchObject({ status: "succeeded", customer: customer.id, customerEmail: customer.email, paymentMethod: pm.id })
    }
    // no customer, or another one → unusable
    expectError(await pay({ payment_method: pm.id }), "payment_method_unusable", "payment_method")
    const stranger = await newCustomer()
    expectError(await pay({ customer: stranger.id, payment_method: pm.id }), "payment_method_unusable", "payment_method")
    // confirm of a pending payment of that customer
    const pending = payment(await pay({ customer: customer.id }))
    expect(payment(await call("POST", `/v1/payments/${pending.id}/confirm`, { body: { payment_method: pm.id } })).status).toBe("succeeded")
    // whether a saved card is declined is decided when a payment uses it, by its test number
    const declining = await newMethod("4000000000000002")
    await attach(declining.id, customer.id)
    const declined = payment(await pay({ customer: customer.id, payment_method: declining.id }))
    expect(declined).toMatchObject({ status: "failed", failureCode: "card_declined", paymentMethod: declining.id })
    // and it stays usable (attached): the next one is declined again, not refused
    expect(payment(await pay({ customer: customer.id, payment_method: declining.id })).status).toBe("failed")
  })

  it("attach: to another customer → 409 already_attached; to the same → 200 unchanged; unknown customer or method → 404", async () => {
    const a = await newCustomer()
    const b = await newCustomer()
    const pm = await newMethod()
    const first = decode(PaymentMethod, await attach(pm.id, a.id))
    expect(decode(PaymentMethod, await attach(pm.id, a.id))).toEqual(first)
    expectError(await attach(pm.id, b.id), "payment_method_already_attached")
    expect(decode(PaymentMethod, await call("GET", `/v1/payment_methods/${pm.id}`)).customer).toBe(a.id)
    expectError(await attach(pm.id, "cus_000000000000000000000000"), "resource_missing", "customer")
    expectError(await attach("pm_000000000000000000000000", a.id), "resource_missing")
    expectError(await call("POST", `/v1/payment_methods/${pm.id}/attach`, { body: {} }), "parameter_missing", "customer")
  })

  it("detach: not attached → 409 not_attached; detached cannot be used or attached again; the default goes to null, none promoted", async () => {
    const customer = await newCustomer()
    const first = await newMethod()
    const second = await newMethod("5555555555554444")
    expectError(await detach(first.id), "payment_method_not_attached")
    await attach(first.id, customer.id)
    await attach(second.id, customer.id)
    // the first attached to a customer without a default becomes it; the second does not replace it
    expect(decode(Customer, await call("GET", `/v1/customers/${customer.id}`)).defaultPaymentMethod).toBe(first.id)
    const detached = decode(PaymentMethod, await detach(first.id))
    expect(detached.customer).toBeNull()
    expect(decode(Customer, await call("GET", `/v1/customers/${customer.id}`)).defaultPaymentMethod).toBeNull()
    expectError(await detach(first.id), "payment_method_not_attached")
    expectError(await pay({ customer: customer.id, payment_method: first.id }), "payment_method_unusable", "payment_method")
    expectError(await attach(first.id, customer.id), "payment_method_unusable")
    // a method attached while the customer has no default becomes it
    const third = await newMethod()
    await attach(third.id, customer.id)
    expect(decode(Customer, await call("GET", `/v1/customers/${customer.id}`)).defaultPaymentMethod).toBe(third.id)
    // detaching a non-default leaves the default alone
    await detach(second.id)
    expect(decode(Customer, await call("GET", `/v1/customers/${customer.id}`)).defaultPaymentMethod).toBe(third.id)
  })

  it("PATCH default_payment_method: one attached to that customer, else 400 on that field; null clears it", async () => {
    const customer = await newCustomer()
    const other = await newCustomer()
    const a = await newMethod()
    const b = await newMethod()
    const elsewhere = await newMethod()
    await attach(a.id, customer.id)
    await attach(b.id, customer.id)
    await attach(elsewhere.id, other.id)
    const patch = (body: unknown) => call("PATCH", `/v1/customers/${customer.id}`, { body })
    expect(decode(Customer, await patch({ default_payment_method: b.id })).defaultPaymentMethod).toBe(b.id)
    expectError(await patch({ default_payment_method: elsewhere.id }), "parameter_invalid", "default_payment_method")
    expectError(await patch({ default_payment_method: "pm_000000000000000000000000" }), "parameter_invalid", "default_payment_method")
    expect(decode(Customer, await patch({ default_payment_method: null })).defaultPaymentMethod).toBeNull()
    // null: a later attach makes the new one the default
    const c = await newMethod()
    await attach(c.id, customer.id)
    expect(decode(Customer, await call("GET", `/v1/customers/${customer.id}`)).defaultPaymentMethod).toBe(c.id)
  })

  it("deleting a customer detaches its payment methods", async () => {
    const customer = await newCustomer()
    const pm = await newMethod()
    await attach(pm.id, customer.id)
    expect((await call("DELETE", `/v1/customers/${customer.id}`)).status).toBe(200)
    expect(decode(PaymentMethod, await call("GET", `/v1/payment_methods/${pm.id}`)).customer).toBeNull()
    expectError(await pay({ payment_method: pm.id }), "payment_method_unusable", "payment_method")
    expectError(await detach(pm.id), "payment_method_not_attached")
    expectError(await call("GET", `/v1/customers/${customer.id}/payment_methods`), "resource_missing")
  })

  it("GET /v1/customers/{id}/payment_methods: attached ones newest first; another customer's cursor → invalid_cursor; a detached cursor stays valid", async () => {
    const customer = await newCustomer()
    const other = await newCustomer()
    const methods = []
    for (let i = 0; i < 5; i++) {
      const pm = await newMethod()
      await attach(pm.id, customer.id)
      methods.push(pm)
    }
    const theirs = await newMethod()
    await attach(theirs.id, other.id)
    const list = (query = "") => call("GET", `/v1/customers/${customer.id}/payment_methods${query}`)
    const all = decode(PaymentMethodList, await list())
    expect(all.data.map((m) => m.id)).toEqual(methods.map((m) => m.id).reverse())
    expect(all.totalCount).toBe(5)
    expect(all.data.every((m) => m.customer === customer.id)).toBe(true)
    const first = decode(PaymentMethodList, await list("?limit=2"))
    expect(first.hasMore).toBe(true)
    const cursor = first.data[1]!.id
    // the cursor is detached while the walk is in progress: it stays a valid position
    await detach(cursor)
    const next = decode(PaymentMethodList, await list(`?limit=2&starting_after=${cursor}`))
    expect(next.data.map((m) => m.id)).toEqual([methods[2]!.id, methods[1]!.id])
    expect(next.totalCount).toBe(4)
    expectError(await list(`?starting_after=${theirs.id}`), "invalid_cursor", "starting_after")
    expectError(await list("?starting_after=pm_000000000000000000000000"), "invalid_cursor", "starting_after")
    // an unattached method is in no customer's list
    const loose = await newMethod()
    expectError(await list(`?starting_after=${loose.id}`), "invalid_cursor", "starting_after")
    expectError(await call("GET", "/v1/customers/cus_000000000000000000000000/payment_methods"), "resource_missing")
  })

  it("idempotency: a replayed create or attach changes nothing twice; the same key with another card is idempotency_key_reused", async () => {
    const key = `pm-${version}-${Math.random()}`
    const once = await call("POST", "/v1/payment_methods", { body: card("4242424242424242"), headers: { "Idempotency-Key": key } })
    const again = await call("POST", "/v1/payment_methods", { body: card("4242424242424242"), headers: { "Idempotency-Key": key } })
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    expect(again.body).toEqual(once.body)
    expectError(await call("POST", "/v1/payment_methods", { body: card("5555555555554444"), headers: { "Idempotency-Key": key } }), "idempotency_key_reused")
    const pm = decode(PaymentMethod, once)
    const customer = await newCustomer()
    const attachKey = `${key}-attach`
    decode(PaymentMethod, await call("POST", `/v1/payment_methods/${pm.id}/attach`, { body: { customer: customer.id }, headers: { "Idempotency-Key": attachKey } }))
    await detach(pm.id)
    // the replay answers what the first request did, without attaching again
    const replay = await call("POST", `/v1/payment_methods/${pm.id}/attach`, { body: { customer: customer.id }, headers: { "Idempotency-Key": attachKey } })
    expect(replay.headers.get("idempotent-replayed")).toBe("true")
    expect(decode(PaymentMethod, await call("GET", `/v1/payment_methods/${pm.id}`)).customer).toBeNull()
    // a repeat charge retried with its key charges once
    const saved = await newMethod()
    await attach(saved.id, customer.id)
    const chargeKey = `${key}-charge`
    const c1 = payment(await call("POST", "/v1/payments", { body: { amount: 900, currency: "USD", customer: customer.id, payment_method: saved.id }, headers: { "Idempotency-Key": chargeKey } }))
    const c2 = payment(await call("POST", "/v1/payments", { body: { amount: 900, currency: "USD", customer: customer.id, payment_method: saved.id }, headers: { "Idempotency-Key": chargeKey } }))
    expect(c2.id).toBe(c1.id)
    const charges = await call("GET", `/v1/payments?customer=${customer.id}`)
    expect((charges.body as { total_count: number }).total_count).toBe(1)
  })

  it("webhooks: a charge of a saved card emits payment.succeeded / payment.failed naming its payment_method; no new event types", async () => {
    // an in-process endpoint: the events as delivered, signed, in the endpoint's version
    const received: Array<unknown> = []
    let arrived: () => void = () => {}
    const two = new Promise<void>((resolve) => (arrived = resolve))
    const handler = (payload: string) =>
      Effect.sync(() => {
        received.push(JSON.parse(payload))
        if (received.length >= 2) arrived()
        return 200
      })
    const hooked = await SandboxServer.start({ rateLimit: false, webhooks: [{ secret: "whsec_test_pm", version, handler }] })
    try {
      const hcall = client(hooked.url)
      const h = (method: string, path: string, body?: unknown) =>
        hcall(method, path, { ...(body === undefined ? {} : { body }), headers: { "PaymentFlow-Version": version } })
      const customer = decode(Customer, await h("POST", "/v1/customers", { email: uniqueEmail() }))
      const ok = decode(PaymentMethod, await h("POST", "/v1/payment_methods", card("4242424242424242")))
      const bad = decode(PaymentMethod, await h("POST", "/v1/payment_methods", card("4000000000000002")))
      await h("POST", `/v1/payment_methods/${ok.id}/attach`, { customer: customer.id })
      await h("POST", `/v1/payment_methods/${bad.id}/attach`, { customer: customer.id })
      await h("POST", `/v1/payment_methods/${bad.id}/detach`)
      const paid = payment(await h("POST", "/v1/payments", { amount: 100, currency: "USD", customer: customer.id, payment_method: ok.id }))
      const badCustomer = decode(Customer, await h("POST", "/v1/customers", { email: uniqueEmail() }))
      const bad2 = decode(PaymentMethod, await h("POST", "/v1/payment_methods", card("4000000000000002")))
      await h("POST", `/v1/payment_methods/${bad2.id}/attach`, { customer: badCustomer.id })
      const failed = payment(await h("POST", "/v1/payments", { amount: 100, currency: "USD", customer: badCustomer.id, payment_method: bad2.id }))
      await two
      const events = received.map((e) => Schema.decodeUnknownSync(Event)(e))
      expect(events.map((e) => e.type).sort()).toEqual(["payment.failed", "payment.succeeded"])
      const byType = new Map(events.map((e) => [e.type, e.data] as const))
      expect(byType.get("payment.succeeded")).toMatchObject({ id: paid.id, paymentMethod: ok.id })
      expect(byType.get("payment.failed")).toMatchObject({ id: failed.id, paymentMethod: bad2.id, failureCode: "card_declined" })
    } finally {
      await hooked.close()
    }
  })
})

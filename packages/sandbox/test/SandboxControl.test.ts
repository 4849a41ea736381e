/**
 * The sandbox-only control endpoints over real HTTP (a `SandboxServer` on 127.0.0.1), through the
 * typed `SandboxControlClient`, as an end-to-end suite drives a sandbox in another process.
 */
import { PaymentFlowClient } from "@paymentflow/core"
import { SandboxControlClient } from "@paymentflow/sandbox/SandboxControl"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let server: RunningServer
let n = 0
const freshKey = (kind = "sk") => `${kind}_test_control${String(++n).padStart(4, "0")}abcdefghij`

beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: 3, processingDelay: "1 hour" })
})
afterAll(() => server.close())

const clients = (key = freshKey()) => ({
  key,
  control: new SandboxControlClient({ apiKey: key, baseUrl: server.url }),
  pf: new PaymentFlowClient({ apiKey: key, baseUrl: server.url, maxRetries: 0 })
})
const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }

describe("SandboxControl (out of process)", () => {
  it("advancing the clock settles a processing payment and moves `created`", async () => {
    const { control, pf } = clients()
    const before = await control.sandbox.retrieveClock()
    const payment = await pf.payments.create({ amount: 500, currency: "USD" })
    expect((await pf.payments.confirm(payment.id, { paymentMethod: { card } })).status).toBe("processing")
    const after = await control.sandbox.advanceClock({ seconds: 3600 })
    expect(after.now - before.now).toBeGreaterThanOrEqual(3600)
    expect(after.advancedSeconds).toBeGreaterThanOrEqual(3600)
    expect((await pf.payments.retrieve(payment.id)).status).toBe("succeeded")
    const later = await pf.payments.create({ amount: 500, currency: "USD" })
    expect(later.created - payment.created).toBeGreaterThanOrEqual(3600)
  })

  it("a queued fault hits the calling key's next calls only", async () => {
    const a = clients()
    const b = clients()
    expect(await a.control.sandbox.createFault({ fault: "503", operation: "payments.create", times: 2 }))
      .toMatchObject({ object: "sandbox.fault", fault: "503", operation: "payments.create", times: 2 })
    await expect(a.pf.payments.create({ amount: 100, currency: "USD" })).rejects.toMatchObject({ _tag: "ApiError", statusCode: 503 })
    expect((await b.pf.payments.create({ amount: 100, currency: "USD" })).amount).toBe(100) // b's calls: untouched
    await expect(a.pf.payments.create({ amount: 100, currency: "USD" })).rejects.toMatchObject({ statusCode: 503 })
    expect((await a.pf.payments.create({ amount: 100, currency: "USD" })).amount).toBe(100)
  })

  it("control calls are exempt from the rate limit; reset (scope key) empties the caller's window only", async () => {
    const a = clients()
    const b = clients()
    for (let i = 0; i < 3; i++) await a.pf.customers.list()
    for (let i = 0; i < 3; i++) await b.pf.customers.list()
    await expect(a.pf.customers.list()).rejects.toMatchObject({ _tag: "RateLimitError" })
    for (let i = 0; i < 5; i++) await a.control.sandbox.retrieveClock() // never throttled
    expect(await a.control.sandbox.reset({ scope: "key" })).toEqual({ object: "sandbox.reset", scope: "key" })
    expect((await a.pf.customers.list()).object).toBe("list")
    await expect(b.pf.customers.list()).rejects.toMatchObject({ _tag: "RateLimitError" })
  })

  it("reset (scope key) forgets the caller's idempotency keys, not another's", async () => {
    const a = clients()
    const b = clients()
    const first = await a.pf.customers.create({ email: "a@example.com" }, { idempotencyKey: "signup-1" })
    const other = await b.pf.customers.create({ email: "b@example.com" }, { idempotencyKey: "signup-1" })
    await a.control.sandbox.reset()
    const again = await a.pf.customers.create({ email: "a@example.com" }, { idempotencyKey: "signup-1" })
    expect(again.id).not.toBe(first.id)
    expect((await b.pf.customers.create({ email: "b@example.com" }, { idempotencyKey: "signup-1" })).id).toBe(other.id)
  })

  it("lists the events; reset (scope all) starts the sandbox afresh", async () => {
    const { control, pf } = clients()
    const payment = await pf.payments.create({ amount: 900, currency: "USD" })
    await pf.payments.cancel(payment.id)
    const events = await control.sandbox.listEvents()
    expect(events.data.some((e) => e.type === "payment.cancelled" && e.data.id === payment.id)).toBe(true)
    expect(await control.sandbox.reset({ scope: "all" })).toEqual({ object: "sandbox.reset", scope: "all" })
    expect((await control.sandbox.listEvents()).totalCount).toBe(0)
    await expect(pf.payments.retrieve(payment.id)).rejects.toMatchObject({ _tag: "NotFoundError" })
  })

  it("a row without input still checks its call's options: a bad timeout is a ValidationError (in its channel), nothing sent", async () => {
    const { control } = clients()
    const before = (await control.sandbox.listEvents()).totalCount
    // what plain JavaScript can pass past the types
    const bad = { timeout: "5s" } as unknown as { readonly timeout: number }
    await expect(control.sandbox.retrieveClock(bad)).rejects.toMatchObject({ _tag: "ValidationError", field: "timeout", code: "parameter_invalid" })
    await expect(control.sandbox.listEvents(bad)).rejects.toMatchObject({ _tag: "ValidationError", field: "timeout" })
    expect((await control.sandbox.listEvents()).totalCount).toBe(before)
  })

  it("needs a secret key, and checks its parameters with the row's schema", async () => {
    const pk = new SandboxControlClient({ apiKey: freshKey("pk"), baseUrl: server.url })
    await expect(pk.sandbox.retrieveClock()).rejects.toMatchObject({ _tag: "AuthenticationError", code: "permission_denied" })
    const { key } = clients()
    const raw = await fetch(`${server.url}/v1/sandbox/faults`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ fault: "503", operation: "payments.nope" })
    })
    expect(raw.status).toBe(400)
    expect(await raw.json()).toMatchObject({ error: { code: "parameter_invalid", field: "operation" } })
  })
})

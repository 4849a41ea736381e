/**
 * The Node Promise client over real HTTP (undici, loopback) against the sandbox server on a
 * random port: what a Node user does, and what they catch.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Retry } from "@paymentflow/core"
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  type Payment,
  PaymentFlowClient,
  SignatureVerificationError,
  ValidationError
} from "@paymentflow/node"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const SK = "sk_test_e2eabcdefghijklmnop12"
const visa = { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }
/** Retries without backoff, so no test waits on a real timer. */
const immediate = Retry.make({ maxRetries: 2, initialDelay: 0 })

let server: RunningServer
let client: PaymentFlowClient

beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: false, faults: true })
  client = new PaymentFlowClient({ apiKey: SK, baseUrl: server.url, retry: immediate })
})

afterAll(async () => {
  await client?.close()
  await server?.close()
})

const paymentCount = () => Effect.runPromise(server.sandbox.payments).then((all) => all.length)

describe("PaymentFlowClient (Node, real HTTP)", () => {
  it("creates, confirms, retrieves, refunds", async () => {
    const payment = await client.payments.create(
      { amount: 2500, currency: "USD", customerEmail: "jane@example.com" },
      { idempotencyKey: "e2e-order-1" }
    )
    expect(payment).toMatchObject({ object: "payment", amount: 2500, status: "pending", customerEmail: "jane@example.com" })
    const confirmed = await client.payments.confirm(payment.id, { paymentMethod: visa })
    expect(confirmed.status).toBe("succeeded")
    expect((await client.payments.retrieve(payment.id)).status).toBe("succeeded")
    const refund = await client.refunds.create({ paymentId: payment.id, amount: 500 })
    expect(refund.amount).toBe(500)
    expect((await client.refunds.retrieve(refund.id)).paymentId).toBe(payment.id)
    const replay = await client.payments.create(
      { amount: 2500, currency: "USD", customerEmail: "jane@example.com" },
      { idempotencyKey: "e2e-order-1" }
    )
    expect(replay.id).toBe(payment.id)
  })

  it("API version 2026-12-01 over the wire: the pinned client sends it, and sees the client secret of a payment created under 2025-06-01", async () => {
    // raw HTTP, as code pinned to 2025-06-01 would call the API
    const old = await fetch(`${server.url}/v1/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${SK}`, "paymentflow-version": "2025-06-01", "content-type": "application/json" },
      body: JSON.stringify({ amount: 900, currency: "USD" })
    })
    expect(old.status).toBe(200)
    const body: { readonly id: string } = await old.json()
    expect(body).not.toHaveProperty("client_secret")
    const versions: Array<string | undefined> = []
    const watching = new PaymentFlowClient({
      apiKey: SK,
      baseUrl: server.url,
      transformClient: HttpClient.tapRequest((request) => Effect.sync(() => void versions.push(request.headers["paymentflow-version"])))
    })
    try {
      const seen = await watching.payments.retrieve(body.id)
      expect(seen.clientSecret).toMatch(new RegExp(`^${body.id}_secret_[A-Za-z0-9]{24}$`))
      expect(versions).toEqual(["2026-12-01"])
    } finally {
      await watching.close()
    }
  })

  it("customers: create, update, list, delete", async () => {
    const c = await client.customers.create({ email: "e2e@example.com" })
    expect((await client.customers.update(c.id, { name: "E" })).name).toBe("E")
    expect((await client.customers.list({ email: "e2e@example.com" })).data.map((x) => x.id)).toContain(c.id)
    expect((await client.customers.delete(c.id)).deleted).toBe(true)
    await expect(client.customers.retrieve(c.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it("rejects with the SDK's own error classes, never wrappers", async () => {
    const error: unknown = await client.payments.create({ amount: 0, currency: "USD" }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toBeInstanceOf(Error)
    if (error instanceof ValidationError) {
      expect(error.field).toBe("amount")
      expect(error.code).toBe("parameter_invalid")
    }
    expect(String(error)).not.toContain("FiberFailure")

    const server404: unknown = await client.payments.retrieve("pay_000000000000000000000000").catch((e: unknown) => e)
    expect(server404).toBeInstanceOf(NotFoundError)
    expect(server404).toMatchObject({ statusCode: 404, code: "resource_missing" })
    expect((server404 as NotFoundError).requestId).toMatch(/^req_/)

    const p = await client.payments.create({ amount: 100, currency: "USD" })
    await client.payments.cancel(p.id)
    await expect(client.payments.cancel(p.id)).rejects.toBeInstanceOf(ConflictError)
  })

  it("ids are plain strings, validated before sending: a bad one rejects with ValidationError field id", async () => {
    const before = await paymentCount()
    for (const bad of ["nope", "pay_123", "../refunds", ""]) {
      const error: unknown = await client.payments.retrieve(bad).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error).toMatchObject({ field: "id" })
    }
    await expect(client.payments.confirm("cus_000000000000000000000000", { paymentMethod: visa })).rejects.toMatchObject({ field: "id" })
    await expect(client.refunds.create({ paymentId: "pay_x" })).rejects.toMatchObject({ field: "payment_id" })
    expect(await paymentCount()).toBe(before)
  })

  it("listAll is an async iterable over every page", async () => {
    const email = "list-all@example.com"
    const created = new Set<string>()
    for (let i = 0; i < 25; i++) created.add((await client.payments.create({ amount: 100 + i, currency: "EUR", customerEmail: email })).id)
    const seen: Array<string> = []
    for await (const payment of client.payments.listAll({ customerEmail: email, limit: 10 })) seen.push(payment.id)
    expect(seen).toHaveLength(25)
    expect(new Set(seen)).toEqual(created)
  })

  it("an AbortSignal cancels the call and aborts its request", async () => {
    const slow = new PaymentFlowClient({
      apiKey: SK,
      baseUrl: server.url,
      maxRetries: 0,
      transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("paymentflow-sandbox-fault", "delay=30000"))
    })
    const controller = new AbortController()
    const call = slow.payments.retrieve("pay_000000000000000000000000", { signal: controller.signal })
    queueMicrotask(() => controller.abort(new Error("user cancelled")))
    await expect(call).rejects.toThrow("user cancelled")
    await slow.close()
  })

  it("an already aborted signal rejects without a request", async () => {
    const before = await paymentCount()
    await expect(client.payments.create({ amount: 1, currency: "USD" }, { signal: AbortSignal.abort(new Error("too late")) }))
      .rejects.toThrow("too late")
    expect(await paymentCount()).toBe(before)
  })

  it("a connection dropped after commit is retried with the same key: exactly one payment", async () => {
    let first = true
    const flaky = new PaymentFlowClient({
      apiKey: SK,
      baseUrl: server.url,
      retry: immediate,
      transformClient: HttpClient.mapRequest((request) => {
        if (!first) return request
        first = false
        return HttpClientRequest.setHeader(request, "paymentflow-sandbox-fault", "drop-after-commit")
      })
    })
    const before = await paymentCount()
    const payment: Payment = await flaky.payments.create({ amount: 777, currency: "USD" })
    expect(first).toBe(false)
    expect(await paymentCount()).toBe(before + 1)
    expect((await flaky.payments.retrieve(payment.id)).amount).toBe(777)
    await flaky.close()
  })

  it("key guards reject locally with AuthenticationError", async () => {
    const live = new PaymentFlowClient({ apiKey: "sk_live_abcdefghijklmnop1234", baseUrl: server.url, environment: "sandbox" })
    await expect(live.payments.list()).rejects.toMatchObject({ code: "api_key_environment_mismatch" })
    const pk = new PaymentFlowClient({ apiKey: "pk_test_abcdefghijklmnop1234", baseUrl: server.url })
    await expect(pk.payments.list()).rejects.toBeInstanceOf(AuthenticationError)
    const insecure = new PaymentFlowClient({ apiKey: SK, baseUrl: "http://example.com" })
    await expect(insecure.payments.list()).rejects.toMatchObject({ code: "insecure_base_url" })
    await Promise.all([live.close(), pk.close(), insecure.close()])
  })

  it("verifies webhooks on node:crypto", () => {
    const payload = JSON.stringify({ id: "evt_000000000000000000000001", object: "event", type: "payment.succeeded", created: 1, data: {} })
    const secret = "whsec_e2e"
    const header = client.webhooks.generateTestHeader({ payload, secret })
    expect(typeof header).toBe("string")
    expect(() => client.webhooks.constructEvent(payload, header.replace(/v1=[0-9a-f]/, "v1=x"), secret)).toThrow(SignatureVerificationError)
    expect(() => client.webhooks.constructEvent(payload, header, "whsec_other")).toThrow(SignatureVerificationError)
  })
})

import { PaymentFlowClient, ValidationError } from "@paymentflow/core"
import { describe, expect, it } from "vitest"
import * as Scripted from "./utils/ScriptedHttp.js"

const SK = "sk_test_abcdefghijklmnop1234"
const payId = Scripted.id("pay", 1)

describe("PaymentFlowClient (Promise facade)", () => {
  it("tracing is off by default: no traceparent/b3 headers; on when asked", async () => {
    const http = Scripted.make(() => ({ status: 200, json: Scripted.paymentJson(payId) }))
    const quiet = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    const traced = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer, tracing: true })
    await quiet.payments.retrieve(payId)
    await traced.payments.retrieve(payId)
    expect(http.requests[0]?.headers["traceparent"]).toBeUndefined()
    expect(http.requests[0]?.headers["b3"]).toBeUndefined()
    expect(http.requests[1]?.headers["traceparent"]).toMatch(/^00-/)
    await Promise.all([quiet.close(), traced.close()])
  })

  it("rejects with the error instance itself and sends nothing for a bad id", async () => {
    const http = Scripted.make(() => ({ status: 200, json: Scripted.paymentJson(payId) }))
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    const error: unknown = await client.payments.cancel("pay_nope").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field: "id", code: "parameter_invalid" })
    expect(http.requests).toHaveLength(0)
    await client.close()
  })

  it("an AbortSignal aborts the HTTP request", async () => {
    const http = Scripted.make(() => ({ hang: true }))
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    const controller = new AbortController()
    const call = client.payments.retrieve(payId, { signal: controller.signal })
    while (http.requests.length === 0) await new Promise((resolve) => setImmediate(resolve))
    controller.abort(new Error("stop"))
    await expect(call).rejects.toThrow("stop")
    expect(http.requests[0]?.aborted).toBe(true)
    await client.close()
  })

  it("listAll is an async iterable that fetches pages as it goes", async () => {
    const all = Array.from({ length: 25 }, (_, i) => Scripted.id("pay", 25 - i))
    const http = Scripted.make((req) => {
      const after = req.url.searchParams.get("starting_after")
      const start = after === null ? 0 : all.indexOf(after) + 1
      const data = all.slice(start, start + 10).map((id) => Scripted.paymentJson(id))
      return { status: 200, json: { object: "list", data, has_more: start + 10 < all.length, total_count: all.length } }
    })
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    const seen: Array<string> = []
    for await (const p of client.payments.listAll()) {
      seen.push(p.id)
      if (seen.length === 12) break
    }
    expect(seen).toEqual(all.slice(0, 12))
    expect(http.requests).toHaveLength(2)
    await client.close()
  })
})

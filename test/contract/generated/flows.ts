/**
 * The seed's flows through a client nobody here wrote: `openapi-fetch` typed by the `.d.ts` that
 * `openapi-typescript` generates from `openapi.json` (generatedClient.test.ts generates it beside
 * this file, type-checks this file with `tsc`, then runs it against a sandbox server). If the
 * document typed `limit` as a string, or the headers as unknown, this file would not compile.
 */
import createClient from "openapi-fetch"
import type { paths } from "./openapi.js"

/** What the run saw, for the test to check. */
export interface Summary {
  readonly statuses: ReadonlyArray<number>
  readonly paymentStatus: string
  readonly listed: number
  readonly cancelled: string
  readonly refunded: number
  readonly replayed: string | null
  readonly notFoundCode: string
  readonly validationCode: string
}

export const run = async (baseUrl: string, apiKey: string): Promise<Summary> => {
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}`, "PaymentFlow-Version": "2025-06-01" }
  })
  const statuses: Array<number> = []
  const header = { "PaymentFlow-Version": "2025-06-01", "PaymentFlow-Client": "openapi-fetch-flows/1.0" } as const

  const customer = await client.POST("/v1/customers", {
    params: { header },
    body: { email: "flows@example.com", name: "Flows", metadata: { tier: "gold" } }
  })
  statuses.push(customer.response.status)
  if (customer.data === undefined) throw new Error("customer not created")

  const body = {
    amount: 2500,
    currency: "USD",
    customer: customer.data.id,
    payment_method: { card: { number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "123" } }
  } as const
  const created = await client.POST("/v1/payments", { params: { header: { ...header, "Idempotency-Key": "flows-1" } }, body })
  statuses.push(created.response.status)
  if (created.data === undefined) throw new Error("payment not created")
  const replay = await client.POST("/v1/payments", { params: { header: { ...header, "Idempotency-Key": "flows-1" } }, body })
  statuses.push(replay.response.status)

  const retrieved = await client.GET("/v1/payments/{id}", { params: { path: { id: created.data.id }, header } })
  statuses.push(retrieved.response.status)

  // `limit` is a number: the document says integer 1–100
  const list = await client.GET("/v1/payments", { params: { query: { limit: 2, customer: customer.data.id }, header } })
  statuses.push(list.response.status)
  // @ts-expect-error `limit` is an integer, not a string
  void (() => client.GET("/v1/payments", { params: { query: { limit: "2" } } }))
  // @ts-expect-error the sandbox serves only the announced versions
  void (() => client.GET("/v1/payments", { params: { header: { "PaymentFlow-Version": "1999-01-01" } } }))

  const pending = await client.POST("/v1/payments", { params: { header }, body: { amount: 100, currency: "JPY" } })
  if (pending.data === undefined) throw new Error("payment not created")
  // a bodiless POST takes an optional empty object
  const cancelled = await client.POST("/v1/payments/{id}/cancel", { params: { path: { id: pending.data.id }, header }, body: {} })
  statuses.push(cancelled.response.status)

  const refund = await client.POST("/v1/refunds", { params: { header }, body: { payment_id: created.data.id, amount: 1000 } })
  statuses.push(refund.response.status)
  const refunds = await client.GET("/v1/refunds", { params: { query: { limit: 2, payment_id: created.data.id }, header } })
  statuses.push(refunds.response.status)

  await client.PATCH("/v1/customers/{id}", { params: { path: { id: customer.data.id }, header }, body: { phone: null } })
  const customers = await client.GET("/v1/customers", { params: { query: { limit: 2 }, header } })
  statuses.push(customers.response.status)

  // errors are typed by status: `error.error.code` is a string with the known codes listed
  const missing = await client.GET("/v1/customers/{id}", { params: { path: { id: "cus_000000000000000000000000" }, header } })
  statuses.push(missing.response.status)
  const invalid = await client.POST("/v1/payments", { params: { header }, body: { amount: 100, currency: "USD", description: "d".repeat(1001) } })
  statuses.push(invalid.response.status)
  const deleted = await client.DELETE("/v1/customers/{id}", { params: { path: { id: customer.data.id }, header } })
  statuses.push(deleted.response.status)

  return {
    statuses,
    paymentStatus: retrieved.data?.status ?? "none",
    listed: list.data?.data.length ?? -1,
    cancelled: cancelled.data?.status ?? "none",
    refunded: refunds.data?.total_count ?? -1,
    replayed: replay.response.headers.get("Idempotent-Replayed"),
    notFoundCode: missing.error?.error.code ?? "none",
    validationCode: invalid.error?.error.code ?? "none"
  }
}

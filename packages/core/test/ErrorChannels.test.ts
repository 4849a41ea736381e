/**
 * The error channel of every operation, pinned at the type level: a change to the endpoint
 * table or to the client's derivation that widens or narrows one breaks `tsc` here.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type { KnownCode } from "@paymentflow/core/ErrorBody"
import type { ApiError } from "@paymentflow/core/Errors"
import type { PaymentId } from "@paymentflow/core/Fields"
import type { PaymentWithSecret } from "@paymentflow/core/Payment"
import type {
  AuthenticationError,
  ConflictError,
  Customer,
  DeletedCustomer,
  NetworkError,
  NotFoundError,
  Page,
  Payment,
  PaymentFlow,
  PaymentMethod,
  RateLimitError,
  Refund,
  ValidationError
} from "@paymentflow/core"
import type { Service as ControlService } from "@paymentflow/sandbox/SandboxControl"
import * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"

type Common = AuthenticationError | RateLimitError | NetworkError | ApiError
type Service = PaymentFlow.Service
type Err<F> = F extends (...args: ReadonlyArray<never>) => Effect.Effect<infer _A, infer E> ? E : never
type Ok<F> = F extends (...args: ReadonlyArray<never>) => Effect.Effect<infer A, infer _E> ? A : never
type StreamErr<F> = F extends (...args: ReadonlyArray<never>) => Stream.Stream<infer _A, infer E> ? E : never
type Tags<F> = Err<F> extends { readonly _tag: infer T } ? T : never

describe("error channels", () => {
  it("the sandbox-only rows without input have ValidationError too (every call's options are checked)", () => {
    expectTypeOf<Err<ControlService["sandbox"]["retrieveClock"]>>().toEqualTypeOf<ValidationError | Common>()
    expectTypeOf<Err<ControlService["sandbox"]["listEvents"]>>().toEqualTypeOf<ValidationError | Common>()
    expectTypeOf<Err<ControlService["sandbox"]["listWebhookDeliveries"]>>().toEqualTypeOf<ValidationError | Common>()
  })

  it("payments", () => {
    expectTypeOf<Err<Service["payments"]["create"]>>().toEqualTypeOf<ValidationError | NotFoundError | ConflictError | Common>()
    expectTypeOf<Err<Service["payments"]["retrieve"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    expectTypeOf<Err<Service["payments"]["list"]>>().toEqualTypeOf<ValidationError | Common>()
    expectTypeOf<StreamErr<Service["payments"]["listAll"]>>().toEqualTypeOf<ValidationError | Common>()
    expectTypeOf<Err<Service["payments"]["confirm"]>>().toEqualTypeOf<ValidationError | NotFoundError | ConflictError | Common>()
    expectTypeOf<Err<Service["payments"]["cancel"]>>().toEqualTypeOf<ValidationError | NotFoundError | ConflictError | Common>()
  })

  it("refunds", () => {
    expectTypeOf<Err<Service["refunds"]["create"]>>().toEqualTypeOf<ValidationError | NotFoundError | ConflictError | Common>()
    expectTypeOf<Err<Service["refunds"]["retrieve"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    expectTypeOf<Err<Service["refunds"]["list"]>>().toEqualTypeOf<ValidationError | Common>()
    expectTypeOf<StreamErr<Service["refunds"]["listAll"]>>().toEqualTypeOf<ValidationError | Common>()
  })

  it("customers", () => {
    expectTypeOf<Err<Service["customers"]["create"]>>().toEqualTypeOf<ValidationError | ConflictError | Common>()
    expectTypeOf<Err<Service["customers"]["retrieve"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    expectTypeOf<Err<Service["customers"]["update"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    expectTypeOf<Err<Service["customers"]["delete"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    expectTypeOf<Err<Service["customers"]["list"]>>().toEqualTypeOf<ValidationError | Common>()
    expectTypeOf<StreamErr<Service["customers"]["listAll"]>>().toEqualTypeOf<ValidationError | Common>()
  })

  it("payment methods: each operation that can answer the new codes lists their classes", () => {
    // payment_method_unusable (ValidationError), payment_method_already_attached and
    // payment_method_not_attached (ConflictError) are in their classes' code unions
    expectTypeOf<"payment_method_unusable">().toMatchTypeOf<KnownCode<"ValidationError">>()
    expectTypeOf<"payment_method_already_attached" | "payment_method_not_attached">().toMatchTypeOf<KnownCode<"ConflictError">>()
    expectTypeOf<"payment_method_unusable">().not.toMatchTypeOf<KnownCode<"ConflictError">>()
    expectTypeOf<Err<Service["paymentMethods"]["create"]>>().toEqualTypeOf<ValidationError | ConflictError | Common>()
    expectTypeOf<Err<Service["paymentMethods"]["retrieve"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    // attach: unusable (400), unknown customer (404), attached elsewhere (409)
    expectTypeOf<Err<Service["paymentMethods"]["attach"]>>().toEqualTypeOf<ValidationError | NotFoundError | ConflictError | Common>()
    // detach: not attached (409)
    expectTypeOf<Err<Service["paymentMethods"]["detach"]>>().toEqualTypeOf<ValidationError | NotFoundError | ConflictError | Common>()
    expectTypeOf<Err<Service["customers"]["listPaymentMethods"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    expectTypeOf<StreamErr<Service["customers"]["listAllPaymentMethods"]>>().toEqualTypeOf<ValidationError | NotFoundError | Common>()
    // a payment given an unusable pm_…: 400 payment_method_unusable on create and confirm
    expectTypeOf<"ValidationError">().toMatchTypeOf<Tags<Service["payments"]["create"]>>()
    expectTypeOf<"ValidationError">().toMatchTypeOf<Tags<Service["payments"]["confirm"]>>()
    expectTypeOf<Ok<Service["paymentMethods"]["attach"]>>().toEqualTypeOf<PaymentMethod>()
    expectTypeOf<Ok<Service["customers"]["listPaymentMethods"]>>().toMatchTypeOf<Page<PaymentMethod>>()
  })

  it("success types are the core schema types", () => {
    // a response about one payment carries its client secret (typed present); a list item does not
    expectTypeOf<Ok<Service["payments"]["create"]>>().toEqualTypeOf<PaymentWithSecret>()
    expectTypeOf<Ok<Service["payments"]["retrieve"]>>().toEqualTypeOf<PaymentWithSecret>()
    expectTypeOf<Ok<Service["payments"]["confirm"]>>().toEqualTypeOf<PaymentWithSecret>()
    expectTypeOf<Ok<Service["payments"]["cancel"]>>().toEqualTypeOf<PaymentWithSecret>()
    expectTypeOf<PaymentWithSecret["clientSecret"]>().toEqualTypeOf<string>()
    expectTypeOf<Ok<Service["payments"]["list"]>>().toEqualTypeOf<Page<Payment>>()
    expectTypeOf<Payment>().not.toHaveProperty("clientSecret")
    expectTypeOf<Ok<Service["refunds"]["retrieve"]>>().toEqualTypeOf<Refund>()
    expectTypeOf<Ok<Service["customers"]["delete"]>>().toEqualTypeOf<DeletedCustomer>()
    expectTypeOf<Ok<Service["customers"]["list"]>>().toMatchTypeOf<Page<Customer>>()
  })

  it("catchTag: ValidationError on payments.create, but no ConflictError on payments.retrieve", () => {
    const handled = (pf: Service) =>
      pf.payments.create({ amount: 2500, currency: "USD" }).pipe(
        Effect.catchTag("ValidationError", (e) => Effect.succeed(e.field))
      )
    expectTypeOf<Err<typeof handled>>().toEqualTypeOf<NotFoundError | ConflictError | Common>()
    expectTypeOf<"ConflictError">().not.toMatchTypeOf<Tags<Service["payments"]["retrieve"]>>()
    // a malformed id is refused locally: every row with an id has ValidationError, listed or not
    expectTypeOf<"ValidationError">().toMatchTypeOf<Tags<Service["payments"]["retrieve"]>>()
    expectTypeOf<"NotFoundError">().toMatchTypeOf<Tags<Service["payments"]["retrieve"]>>()
  })

  it("ids from strings: an operation takes a plain string id; its result keeps the branded id", () => {
    expectTypeOf<Parameters<Service["payments"]["retrieve"]>[0]>().toEqualTypeOf<string>()
    expectTypeOf<Ok<Service["payments"]["retrieve"]>["id"]>().toEqualTypeOf<PaymentId>()
    expectTypeOf<PaymentId>().toMatchTypeOf<string>()
    expectTypeOf<string>().not.toMatchTypeOf<PaymentId>()
  })
})

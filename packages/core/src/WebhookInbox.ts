/**
 * A webhook inbox: runs each verified event's handler once per event `id`, however many times the
 * event is delivered and to however many processes, through a store shared by the receivers.
 *
 * **Claim → handle → done.** A delivery first *claims* its event id (a lease of `lease`, renewed
 * every third of it while the handler runs). Then:
 * - claimed: the handler runs; once it returns, the id is marked *done* (kept `ttl`) and the
 *   delivery is answered 2xx. An event counts as handled once its handler returned and the done
 *   mark is written;
 * - already done: the handler does not run, the delivery is answered 2xx (a duplicate);
 * - claimed by another delivery still being handled: the handler does not run, the delivery is
 *   answered `409` with `Retry-After`, so the sender delivers it again later (the contract retries
 *   every non-2xx with backoff);
 * - the handler failed: the claim is released, the delivery is answered 500, the retry handles it;
 * - the process died mid-handle: its lease is no longer renewed and expires, and the next delivery
 *   claims the event.
 *
 * **The store is down: fail closed.** A claim the store cannot answer (within `storeTimeout`) is
 * answered `503` with `Retry-After`, and the handler does not run: the sender retries, nothing is
 * lost, and nothing runs twice behind a store that cannot say whether it already ran. (A limiter
 * fails open because the server stays the authority; an inbox has no other authority.) When the
 * handler returned but the done mark cannot be written, the delivery is still answered 2xx (the
 * effect happened; a retry could only repeat it) and the mark is retried in the background for one
 * lease; if the store is still down by then, an error is logged. A duplicate arriving after the
 * claim's lease ran out (an outage longer than the lease, a store that forgot) can then run again
 * — the inbox-table pattern (README) closes that gap.
 *
 * The default store is {@link memoryStore} (one process, bounded, with a TTL);
 * `@paymentflow/node/Redis` has `inboxStore` for fleets.
 *
 * @example
 * ```ts
 * import { WebhookInbox } from "@paymentflow/core"
 * import { Effect } from "effect"
 *
 * const inbox = WebhookInbox.make({ lease: "10 seconds" })
 * const program = Effect.gen(function*() {
 *   const first = yield* inbox.run("evt_1", Effect.log("fulfil order"))
 *   const again = yield* inbox.run("evt_1", Effect.log("fulfil order"))
 *   return [first._tag, again._tag] // ["Handled", "Duplicate"]
 * })
 * Effect.runPromise(program).then(console.log)
 * ```
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as InboxMemory from "./internal/inboxMemory.js"

/**
 * What a claim found.
 *
 * @since 0.1.0
 * @category Models
 */
export type Claim =
  | { readonly _tag: "Claimed"; readonly token: string }
  | { readonly _tag: "Done" }
  | { readonly _tag: "Busy"; readonly retryAfter: Duration.Duration }

/**
 * The store could not be reached or answered with an error.
 *
 * @since 0.1.0
 * @category Errors
 */
export class InboxStoreError extends Data.TaggedError("InboxStoreError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * Where claims and done marks live. `token` names one claim, so a delivery releases or renews only
 * its own (not a later one's after its lease expired). Ids are event ids (`evt_…`): no secret.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Store {
  /** Claims `id` for `lease` unless it is claimed or done. */
  readonly claim: (id: string, lease: Duration.Duration) => Effect.Effect<Claim, InboxStoreError>
  /** Extends this claim's lease (no-op if the claim is no longer this one). */
  readonly renew: (id: string, token: string, lease: Duration.Duration) => Effect.Effect<void, InboxStoreError>
  /** Marks `id` done, kept for `ttl`. */
  readonly complete: (id: string, token: string, ttl: Duration.Duration) => Effect.Effect<void, InboxStoreError>
  /** Drops this claim so the next delivery is handled. */
  readonly release: (id: string, token: string) => Effect.Effect<void, InboxStoreError>
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /** Default: a {@link memoryStore} of this inbox alone. */
  readonly store?: Store | undefined
  /** How long a claim lasts without renewal: how soon a dead process's event is handled again. Default 30 s. */
  readonly lease?: Duration.DurationInput | undefined
  /** How long a done mark is kept: longer than the sender retries. Default 72 hours. */
  readonly ttl?: Duration.DurationInput | undefined
  /** How long a store operation may take before it counts as unreachable. Default 1 s. */
  readonly storeTimeout?: Duration.DurationInput | undefined
}

/**
 * The outcome of one delivery.
 *
 * @since 0.1.0
 * @category Models
 */
export type Outcome<A> =
  | { readonly _tag: "Handled"; readonly value: A }
  | { readonly _tag: "Duplicate" }
  | { readonly _tag: "InProgress"; readonly retryAfter: Duration.Duration }

/**
 * @since 0.1.0
 * @category Models
 */
export interface Inbox {
  /**
   * Runs `handle` unless `id` is done or being handled. Fails with the handler's error (the claim
   * released) or an `InboxStoreError` (the claim could not be made; the handler did not run).
   */
  readonly run: <A, E, R>(id: string, handle: Effect.Effect<A, E, R>) => Effect.Effect<Outcome<A>, E | InboxStoreError, R>
}

/**
 * The default `lease`, 30 seconds.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_LEASE: Duration.Duration = Duration.seconds(30)

/**
 * The default `ttl` of a done mark, 72 hours.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_TTL: Duration.Duration = Duration.hours(72)

/**
 * A store in this process's memory (for one process: every process has its own), on Effect's
 * `Clock` (so `TestClock` drives its leases and TTLs). At most `capacity` ids are kept (default
 * 100 000); the oldest are forgotten first.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const memoryStore = (options: { readonly capacity?: number | undefined } = {}): Store => InboxMemory.make(options)

/**
 * An inbox over a store (see the module's rules).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: Options = {}): Inbox => {
  const store = options.store ?? memoryStore()
  const lease = Duration.decode(options.lease ?? DEFAULT_LEASE)
  const ttl = Duration.decode(options.ttl ?? DEFAULT_TTL)
  const timeout = Duration.decode(options.storeTimeout ?? "1 second")
  const bounded = <A>(what: string, op: Effect.Effect<A, InboxStoreError>): Effect.Effect<A, InboxStoreError> =>
    op.pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new InboxStoreError({ message: `the inbox store did not answer ${what} within ${Duration.format(timeout)}` })
      })
    )
  // renewed every third of the lease while the handler runs; a failed renewal is retried next time
  const retryEvery = Duration.millis(250)
  const retries = Math.max(1, Math.ceil(Duration.toMillis(lease) / 250))
  const renewEvery = Duration.millis(Math.max(1, Math.floor(Duration.toMillis(lease) / 3)))
  return {
    run: <A, E, R>(id: string, handle: Effect.Effect<A, E, R>): Effect.Effect<Outcome<A>, E | InboxStoreError, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*(): Effect.fn.Return<Outcome<A>, E | InboxStoreError, R> {
          const claim = yield* restore(bounded("the claim", store.claim(id, lease)))
          if (claim._tag === "Done") return { _tag: "Duplicate" } as const
          if (claim._tag === "Busy") return { _tag: "InProgress", retryAfter: claim.retryAfter } as const
          const { token } = claim
          const heartbeat = yield* Effect.fork(
            Effect.repeat(Effect.ignore(bounded("a renewal", store.renew(id, token, lease))), Schedule.spaced(renewEvery)).pipe(
              Effect.delay(renewEvery),
              Effect.interruptible
            )
          )
          const result = yield* Effect.exit(restore(handle))
          yield* Fiber.interrupt(heartbeat)
          if (result._tag === "Failure") {
            yield* Effect.ignore(bounded("the release", store.release(id, token)))
            return yield* Effect.failCause(result.cause)
          }
          // the effect happened: answer now; a done mark the store refuses is retried in the
          // background for one lease (the claim still stands meanwhile), then logged
          const done = bounded("the done mark", store.complete(id, token, ttl))
          const written = yield* Effect.either(done)
          if (written._tag === "Left") {
            yield* Effect.forkDaemon(
              Effect.retry(done, Schedule.spaced(retryEvery).pipe(Schedule.intersect(Schedule.recurs(retries)))).pipe(
                Effect.catchAll((error) =>
                  Effect.logError(
                    `PaymentFlow webhook inbox: event ${id} was handled but its done mark was not written (${error.message}); ` +
                      "a duplicate delivered after the lease may run again"
                  )
                )
              )
            )
          }
          return { _tag: "Handled", value: result.value } as const
        })
      )
  }
}

/**
 * The outcome of {@link PromiseInbox.run}.
 *
 * @since 0.1.0
 * @category Models
 */
export type PromiseOutcome =
  | { readonly outcome: "handled" }
  | { readonly outcome: "duplicate" }
  | { readonly outcome: "in_progress"; readonly retryAfterSeconds: number }

/**
 * The inbox for receivers without Effect (`node:http`, Express): `run` resolves with the outcome,
 * rejects with the handler's error (the claim released) or an `InboxStoreError`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface PromiseInbox {
  readonly run: (id: string, handle: () => unknown) => Promise<PromiseOutcome>
}

/**
 * The Retry-After a busy (`409`) or store-down (`503`) delivery is answered with, in whole seconds (at least 1).
 *
 * @since 0.1.0
 * @category Utils
 */
export const retryAfterSeconds = (retryAfter: Duration.Duration): number => Math.max(1, Math.ceil(Duration.toSeconds(retryAfter)))

/**
 * {@link make} for Promise receivers.
 *
 * @example
 * ```ts
 * import { WebhookInbox } from "@paymentflow/core"
 *
 * const inbox = WebhookInbox.makePromise()
 * // in a request handler, after verifying the event:
 * const answer = async (eventId: string) => {
 *   const result = await inbox.run(eventId, async () => {
 *     // fulfil the order
 *   })
 *   return result.outcome === "in_progress" ? 409 : 200
 * }
 * answer("evt_1").then(console.log)
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makePromise = (options: Options = {}): PromiseInbox => {
  const inbox = make(options)
  return {
    run: (id, handle) =>
      Effect.runPromiseExit(inbox.run(id, Effect.tryPromise({ try: async () => handle(), catch: (error) => error }))).then(
        (exit): PromiseOutcome | Promise<never> => {
          // the handler's own error (or the store's), as thrown, rather than Effect's wrapper
          if (exit._tag === "Failure") return Promise.reject(Cause.squash(exit.cause))
          const outcome = exit.value
          return outcome._tag === "Handled"
            ? { outcome: "handled" }
            : outcome._tag === "Duplicate"
            ? { outcome: "duplicate" }
            : { outcome: "in_progress", retryAfterSeconds: retryAfterSeconds(outcome.retryAfter) }
        }
      )
  }
}

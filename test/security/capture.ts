/**
 * What the security suites search for a secret: every log line (`LogLevel.All`: message, cause,
 * annotations, and the logfmt line) and every span (name, attributes as set and at the end,
 * events, a failure's cause), each rendered every way a user or a library might render a value.
 * One recorder for every canary (the API key, card numbers): a place it does not look is a place
 * no suite looks.
 */
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"

const safeJson = (u: unknown): string => {
  try {
    return JSON.stringify(u, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v)) ?? ""
  } catch (e) {
    return `<unserializable: ${String(e)}>`
  }
}

/** Every way a user or a library might render a value. */
export const renderAll = (u: unknown): string => {
  const parts = [String(u), safeJson(u), inspect(u, { depth: 12, showHidden: true, getters: true })]
  if (u instanceof Error) parts.push(u.message, u.stack ?? "")
  if (Cause.isCause(u)) parts.push(Cause.pretty(u, { renderErrorCause: true }))
  return parts.join("\n")
}

/** A logger and a tracer that hand each text they see to `keep`, labelled `"log"` or `"span"`. */
export interface Recorder {
  readonly logger: Layer.Layer<never>
  /** Wraps the running tracer (`Effect.tracer`), so spans still reach it. */
  readonly tracer: (native: Tracer.Tracer) => Tracer.Tracer
}

/**
 * The recorder: every text goes to `keep`. A failed span's cause is rendered every way
 * ({@link renderAll}: `String`, JSON and `inspect` outside any fiber, as an exporter might, and
 * `Cause.pretty`), and each failure's message and stack. (The JSON of `@effect/platform`'s own
 * `http.client` span's cause, after a transport error, held the request's `Authorization` header:
 * the client opens no such span.)
 */
export const recorder = (keep: (kind: "log" | "span", text: string) => void): Recorder => {
  const logger = Logger.replace(
    Logger.defaultLogger,
    Logger.make((options) => {
      keep("log", [renderAll(options.message), renderAll(options.cause), renderAll(options.annotations), Logger.logfmtLogger.log(options)].join("\n"))
    })
  )
  const tracer = (native: Tracer.Tracer) =>
    Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = native.span(name, parent, context, links, startTime, kind, options)
        keep("span", `span ${name} ${renderAll(options?.attributes)}`)
        const wrapped: Tracer.Span = {
          _tag: "Span",
          name: span.name,
          spanId: span.spanId,
          traceId: span.traceId,
          parent: span.parent,
          context: span.context,
          get status() {
            return span.status
          },
          attributes: span.attributes,
          links: span.links,
          sampled: span.sampled,
          kind: span.kind,
          end: (endTime, exit) => {
            // what an exporter records at the end: the attributes, and a failure's cause (a
            // success's value is the operation's result, e.g. the HTTP response, not exported)
            keep("span", `end ${name} ${renderAll(Object.fromEntries(span.attributes))}`)
            if (Exit.isFailure(exit)) {
              keep("span", renderAll(exit.cause))
              for (const e of Cause.failures(exit.cause)) keep("span", e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e))
            }
            span.end(endTime, exit)
          },
          attribute: (key, value) => {
            keep("span", `attribute ${name} ${key}=${renderAll(value)}`)
            span.attribute(key, value)
          },
          event: (eventName, time, attributes) => {
            keep("span", `event ${name} ${eventName} ${renderAll(attributes)}`)
            span.event(eventName, time, attributes)
          },
          addLinks: (more) => span.addLinks(more)
        }
        return wrapped
      },
      context: (f, fiber) => native.context(f, fiber)
    })
  return { logger, tracer }
}

/**
 * A tracer that records every span it opens, on top of the running tracer (`Effect.tracer`), so
 * a test can read the spans' names, parents and attributes.
 */
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"

/** Records every span the current tracer opens into `spans`. */
export const recording = (spans: Array<Tracer.Span>): Effect.Effect<Tracer.Tracer> =>
  Effect.map(Effect.tracer, (base) =>
    Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        spans.push(span)
        return span
      },
      context: (f, fiber) => base.context(f, fiber)
    }))

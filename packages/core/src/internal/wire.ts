import * as Schema from "effect/Schema"

/**
 * A required field whose wire name differs from its TypeScript name. `W` is kept as its literal
 * (`"amount_refunded"`), so a struct's `Encoded` type names its exact wire keys; with a plain
 * `string` it would widen to an index signature.
 */
export const req = <const W extends string, S extends Schema.Schema.All>(wire: W, schema: S) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(wire))

/** An optional field whose wire name differs from its TypeScript name (`W` kept as its literal). */
export const opt = <const W extends string, S extends Schema.Schema.All>(wire: W, schema: S) =>
  Schema.optional(schema).pipe(Schema.fromKey(wire))

import * as Schema from "effect/Schema"

/** A required field whose wire name differs from its TypeScript name. */
export const req = <S extends Schema.Schema.All>(wire: string, schema: S) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(wire))

/** An optional field whose wire name differs from its TypeScript name. */
export const opt = <S extends Schema.Schema.All>(wire: string, schema: S) =>
  Schema.optional(schema).pipe(Schema.fromKey(wire))

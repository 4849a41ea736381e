/**
 * Decoding a verified webhook body into an `Event`: strict UTF-8, `JSON.parse`, then the union
 * member picked by `type` (so a bad `payment.failed` reports its own field, not five members'
 * failures), with one decoder per member built on first use and kept: the compiled fast path of
 * `webhookDecode.ts`, falling back to `Schema.decodeUnknownEither` for the verdict on rejects.
 */
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { type Event, EventMembers } from "../Event.js"
import * as Rule from "../Rule.js"
import { compile, REJECT } from "./webhookDecode.js"
import type { WebhookPayloadError } from "../Webhook.js"

/** Why a verified body is not an event: the fields of `WebhookPayloadError`. */
export type PayloadFailure = ConstructorParameters<typeof WebhookPayloadError>[0]

type Decoder = (u: unknown) => Either.Either<Event, ParseResult.ParseError>

const decoders = new Map<string, Decoder>()

const decoderFor = (type: string): Decoder | undefined => {
  let decoder = decoders.get(type)
  if (decoder === undefined) {
    // Own keys only: `constructor` or `__proto__` are not event types.
    if (!Object.hasOwn(EventMembers, type)) return undefined
    const member: Schema.Schema<Event, unknown> = EventMembers[type as keyof typeof EventMembers] as Schema.Schema<Event, unknown>
    const slow = Schema.decodeUnknownEither(member)
    const fast = compile(member.ast)
    // The compiled fast path decides acceptance; Schema gives the verdict and the issue otherwise.
    decoder = fast === undefined ? slow : (u) => {
      const a = fast(u)
      return a === REJECT ? slow(u) : Either.right(a as Event)
    }
    decoders.set(type, decoder)
  }
  return decoder
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** The body as text: strings as they are, bytes as strict UTF-8 (no replacement characters). */
export const bodyText = (payload: string | Uint8Array): Either.Either<string, PayloadFailure> => {
  if (typeof payload === "string") return Either.right(payload)
  try {
    return Either.right(utf8.decode(payload))
  } catch (cause) {
    return Either.left({ code: "invalid_utf8", message: "The webhook body is not valid UTF-8", cause })
  }
}

const stringField = (o: object, key: string): string | undefined => {
  const value: unknown = (o as Record<string, unknown>)[key]
  return typeof value === "string" ? value : undefined
}

/** Decodes a (verified) body into an `Event`. */
export const decodeEvent = (payload: string | Uint8Array): Either.Either<Event, PayloadFailure> => {
  const text = bodyText(payload)
  if (Either.isLeft(text)) return Either.left(text.left)
  let json: unknown
  try {
    json = JSON.parse(text.right)
  } catch (cause) {
    return Either.left({ code: "invalid_json", message: "The webhook body is not JSON", cause })
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return Either.left({ code: "invalid_event", message: "The webhook body is not a JSON object" })
  }
  const eventType = stringField(json, "type")
  const eventId = stringField(json, "id")
  if (eventType === undefined) {
    return Either.left({ code: "invalid_event", message: "is required (a string)", field: "type", eventId })
  }
  const decode = decoderFor(eventType)
  if (decode === undefined) {
    return Either.left({
      code: "unknown_event_type",
      message: `Unknown event type ${JSON.stringify(eventType.slice(0, 100))}`,
      field: "type",
      eventType,
      eventId
    })
  }
  const result = decode(json)
  if (Either.isRight(result)) return Either.right(result.right)
  const violation = Rule.fromParseError(result.left)
  return Either.left({
    code: "invalid_event",
    message: `Invalid ${eventType} event: ${violation.message}`,
    field: violation.field,
    eventType,
    eventId,
    cause: result.left
  })
}

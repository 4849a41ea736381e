/**
 * Every rule a JSON Schema can state is stated in `openapi.json`: each refinement reachable from
 * core's endpoint table (ids, params, success schemas, and the declared headers) carries its JSON
 * Schema form (`Rule.code`'s third argument, or Effect's own for `Int` and the like). The rules no
 * schema can state are listed here, each with its reason.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Api from "@paymentflow/core/Api"
import { HEADERS } from "@paymentflow/core/Headers"
import * as Rule from "@paymentflow/core/Rule"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"

/** Rule message → why no JSON Schema can state it. */
const UNEXPRESSIBLE: Record<string, string> = {
  "fails the Luhn check": "a checksum over the digits: no JSON Schema keyword computes one",
  "the card has expired": "compares exp_month/exp_year with today's date, which a schema cannot know"
}

interface Found {
  readonly where: string
  readonly rule: string
  readonly hasForm: boolean
}

const refinements = (root: AST.AST, where: string): ReadonlyArray<Found> => {
  const out: Array<Found> = []
  const seen = new Set<AST.AST>()
  const go = (ast: AST.AST, path: string): void => {
    if (seen.has(ast)) return
    seen.add(ast)
    switch (ast._tag) {
      case "Refinement": {
        const rule = Rule.ruleOf(ast)
        out.push({
          where: path,
          rule: rule?.message ?? String(ast),
          hasForm: Option.isSome(AST.getJSONSchemaAnnotation(ast))
        })
        return go(ast.from, path)
      }
      case "Transformation":
        go(ast.from, path)
        return go(ast.to, path)
      case "TypeLiteral":
        for (const ps of ast.propertySignatures) go(ps.type, `${path}.${String(ps.name)}`)
        for (const is of ast.indexSignatures) {
          go(is.parameter, `${path}[key]`)
          go(is.type, `${path}[value]`)
        }
        return
      case "Union":
        return ast.types.forEach((t) => go(t, path))
      case "TupleType":
        ast.elements.forEach((e, i) => go(e.type, `${path}[${i}]`))
        return ast.rest.forEach((r) => go(r.type, `${path}[]`))
      case "Suspend":
        return go(ast.f(), path)
      default:
        return
    }
  }
  go(root, where)
  return out
}

const all: ReadonlyArray<Found> = [
  ...Api.all.flatMap((e) => {
    const name = `${e.group}.${e.name}`
    return [
      ...(e.id === undefined ? [] : refinements(e.id.ast, `${name} id`)),
      ...(e.params === undefined ? [] : refinements(e.params.ast, `${name} params`)),
      ...refinements(e.success.ast, `${name} 200`)
    ]
  }),
  ...Object.values(HEADERS).flatMap((h) => refinements(h.schema.ast, `header ${h.name}`))
]

describe("refinements and their JSON Schema form", () => {
  it("walks the schemas of every endpoint (the walk finds the rules it must check)", () => {
    const rules = new Set(all.map((f) => f.rule))
    expect(rules).toContain("must be at least 1")
    expect(rules).toContain("must have at most 50 keys")
    expect(rules).toContain("fails the Luhn check")
    expect(rules).toContain("must be an integer from 1 to 100")
    expect(all.filter((f) => f.where === "payments.cancel id").length).toBeGreaterThan(0)
  })

  it("every refinement a JSON Schema can state carries its form", () => {
    const missing = all.filter((f) => !f.hasForm && UNEXPRESSIBLE[f.rule] === undefined)
    expect(missing.map((f) => `${f.where}: ${f.rule}`)).toEqual([])
  })

  it("each listed exception is still a rule of the table and still has no form", () => {
    for (const rule of Object.keys(UNEXPRESSIBLE)) {
      const found = all.filter((f) => f.rule === rule)
      expect(found.length, rule).toBeGreaterThan(0)
      expect(found.every((f) => !f.hasForm), rule).toBe(true)
    }
  })
})

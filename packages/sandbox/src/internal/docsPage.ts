/**
 * The API reference the sandbox serves at `GET /docs`: one HTML page rendered at run time from
 * the same OpenAPI document it serves at `/openapi.json`, so the two cannot disagree.
 *
 * Why not serve Redoc's page (`pnpm docs`, `docs/api.html`)? It is 2.6 MB (690 KB gzip) of
 * inlined scripts — several times the whole sandbox package — and it would have to be built into
 * `dist` and found on disk at run time, which the in-process layer (no `node:fs`) cannot do. This
 * page is plain HTML (about 100 KB, no script at all), and its Content-Security-Policy forbids
 * every load from elsewhere, so it reads the same offline. `pnpm docs` stays the rich reference.
 */
import type * as OpenApi from "@effect/platform/OpenApi"

/** Nothing loads from anywhere: no script, no font, no image; only the page's own inline style. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

const METHODS = ["get", "post", "patch", "delete", "put"] as const

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u)

const anchor = (kind: string, name: string) => `${kind}-${name.replace(/[^A-Za-z0-9_.-]/g, "_")}`

/** A schema in one line: a link for a `$ref`, else its type and the constraints it states. */
const describe = (schema: unknown): string => {
  if (!isRecord(schema)) return ""
  const ref = schema["$ref"]
  if (typeof ref === "string") {
    const name = ref.replace("#/components/schemas/", "")
    return `<a href="#${anchor("schema", name)}">${escape(name)}</a>`
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const members = schema[key]
    if (Array.isArray(members)) return members.map(describe).join(" | ")
  }
  const parts: Array<string> = []
  if (typeof schema["type"] === "string") parts.push(escape(schema["type"]))
  if (Array.isArray(schema["enum"])) parts.push(`one of ${schema["enum"].map((v) => `<code>${escape(JSON.stringify(v))}</code>`).join(", ")}`)
  for (const key of ["minimum", "maximum", "minLength", "maxLength", "maxProperties", "pattern", "format"] as const) {
    const value = schema[key]
    if (value !== undefined) parts.push(`${key} <code>${escape(String(value))}</code>`)
  }
  if (schema["type"] === "array") parts.push(`of ${describe(schema["items"])}`)
  return parts.join(", ")
}

const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) =>
  rows.length === 0
    ? ""
    : `<table><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>${
      rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")
    }</table>`

const operation = (path: string, method: string, op: OpenApi.OpenAPISpecOperation) => {
  const parameters = table(
    ["Parameter", "In", "Required", "Schema", "Description"],
    op.parameters.map((p) => [`<code>${escape(p.name)}</code>`, p.in, p.required ? "yes" : "no", describe(p.schema), escape(p.description ?? "")])
  )
  const body = op.requestBody === undefined
    ? ""
    : `<p>Body (<code>application/json</code>): ${describe(op.requestBody.content["application/json"]?.schema)}</p>`
  const responses = table(
    ["Status", "Description", "Body", "Headers"],
    Object.entries(op.responses).map(([status, response]) => {
      const r: unknown = response
      const content = isRecord(r) && isRecord(r["content"]) ? r["content"]["application/json"] : undefined
      const headers = isRecord(r) && isRecord(r["headers"]) ? Object.keys(r["headers"]) : []
      return [
        `<code>${escape(status)}</code>`,
        escape(isRecord(r) && typeof r["description"] === "string" ? r["description"] : ""),
        isRecord(content) ? describe(content["schema"]) : "",
        headers.map((h) => `<code>${escape(h)}</code>`).join(" ")
      ]
    })
  )
  return `<section id="${anchor("op", op.operationId)}">
<h3>${escape(op.summary ?? op.operationId)}</h3>
<p class="route"><b>${method.toUpperCase()}</b> <code>${escape(path)}</code> · <code>${escape(op.operationId)}</code></p>
${op.description === undefined ? "" : `<p>${escape(op.description)}</p>`}
${parameters}${body}${responses}
</section>`
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70em;padding:1em 2em;color:#222}
code,pre{font:13px ui-monospace,monospace;background:#f4f4f6}pre{padding:.5em;overflow:auto}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
section{border-top:1px solid #ccc;margin-top:1.5em}.route b{color:#06c}nav li{list-style:none}`

/** The reference page of an OpenAPI document: every operation by tag, then every schema. */
export const render = (spec: OpenApi.OpenAPISpec): string => {
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method]
      return op === undefined ? [] : [{ path, method, op }]
    })
  )
  const tags = [...new Set(operations.map(({ op }) => op.tags[0]))]
  const nav = tags.map((tag) =>
    `<li><b>${escape(tag)}</b><ul>${
      operations.filter(({ op }) => op.tags[0] === tag)
        .map(({ op }) => `<li><a href="#${anchor("op", op.operationId)}">${escape(op.summary ?? op.operationId)}</a></li>`)
        .join("")
    }</ul></li>`
  ).join("")
  const groups = tags.map((tag) =>
    `<h2>${escape(tag)}</h2>${
      operations.filter(({ op }) => op.tags[0] === tag).map(({ path, method, op }) => operation(path, method, op)).join("\n")
    }`
  ).join("\n")
  const schemas = Object.entries(spec.components.schemas).map(([name, schema]) =>
    `<details id="${anchor("schema", name)}"><summary><code>${escape(name)}</code> ${describe(schema)}</summary><pre>${
      escape(JSON.stringify(schema, null, 2))
    }</pre></details>`
  ).join("\n")
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(spec.info.title)} ${escape(spec.info.version)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escape(spec.info.title)} <small>${escape(spec.info.version)}</small></h1>
<p>${escape(spec.info.description ?? "")}</p>
<p>The document itself: <a href="/openapi.json">/openapi.json</a>.</p>
<nav><ul>${nav}</ul></nav>
${groups}
<h2>Schemas</h2>
${schemas}
</body>
</html>
`
}

/** Transcript helpers for the demo: plain lines, section headings, compact objects. */
const write = (text: string): void => {
  process.stdout.write(`${text}\n`)
}

export const line = (text: string): void => write(`  ${text}`)

export const section = (title: string): void => write(`\n== ${title}`)

export const show = (label: string, value: unknown): void =>
  write(`  ${label}: ${JSON.stringify(value, (_k, v: unknown) => (v === undefined ? null : v))}`)

/**
 * The subset of YAML that infra/ is written in, for the infra test (no YAML package is installed):
 * block mappings and sequences, flow sequences and mappings on one line, quoted and plain scalars,
 * comments, documents separated by `---`, anchors, aliases and merge keys (`<<: *env`). Anything else
 * (block scalars `|` and `>`, tags, multi-line flow collections, tabs) is refused with its line number,
 * so a manifest never silently reads differently here than in Docker or Kubernetes.
 */
export type YamlValue = string | number | boolean | null | ReadonlyArray<YamlValue> | {
  readonly [key: string]: YamlValue
}

interface Line {
  readonly number: number
  readonly indent: number
  readonly text: string
}

export class YamlError extends Error {}

/** The text before a comment: a `#` at the start or after a space, outside quotes. */
const stripComment = (text: string) => {
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== undefined) {
      if (c === "\\" && quote === "\"") i++
      else if (c === quote) quote = undefined
    } else if (c === "\"" || c === "'") quote = c
    else if (c === "#" && (i === 0 || text[i - 1] === " ")) return text.slice(0, i)
  }
  return text
}

/** Where a mapping line's key ends: the first `:` followed by a space or the end, outside quotes and brackets. */
const keyEnd = (text: string) => {
  let quote: string | undefined
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== undefined) {
      if (c === "\\" && quote === "\"") i++
      else if (c === quote) quote = undefined
    } else if (c === "\"" || c === "'") quote = c
    else if (c === "[" || c === "{") depth++
    else if (c === "]" || c === "}") depth--
    else if (c === ":" && depth === 0 && (i + 1 === text.length || text[i + 1] === " ")) return i
  }
  return -1
}

const plain = (text: string): YamlValue => {
  if (text === "" || text === "~" || text === "null") return null
  if (text === "true") return true
  if (text === "false") return false
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) return Number(text)
  if (/^-?[0-9]+\.[0-9]+$/.test(text)) return Number(text)
  return text
}

const quoted = (text: string, line: number): string => {
  if (text.startsWith("\"")) {
    try {
      return JSON.parse(text) as string
    } catch {
      throw new YamlError(`line ${line}: unsupported double-quoted string ${text}`)
    }
  }
  if (!text.endsWith("'") || text.length < 2) throw new YamlError(`line ${line}: unterminated string ${text}`)
  return text.slice(1, -1).replaceAll("''", "'")
}

/** A flow collection on one line: `["a", b]`, `{}`, `{ a: 1 }`. */
const flow = (text: string, line: number): YamlValue => {
  let at = 0
  const fail = (what: string): never => {
    throw new YamlError(`line ${line}: ${what} in ${text}`)
  }
  const space = () => {
    while (text[at] === " ") at++
  }
  const scalar = (): YamlValue => {
    space()
    if (text[at] === "\"" || text[at] === "'") {
      const q = text[at]!
      let end = at + 1
      while (end < text.length && text[end] !== q) end += text[end] === "\\" && q === "\"" ? 2 : 1
      const raw = text.slice(at, end + 1)
      at = end + 1
      return quoted(raw, line)
    }
    const start = at
    while (at < text.length && !",]}".includes(text[at]!) && !(text[at] === ":" && text[at + 1] === " ")) at++
    return plain(text.slice(start, at).trim())
  }
  const value = (): YamlValue => {
    space()
    if (text[at] === "[") {
      at++
      const items: Array<YamlValue> = []
      space()
      if (text[at] === "]") return at++, items
      for (;;) {
        items.push(value())
        space()
        if (text[at] === ",") at++
        else if (text[at] === "]") return at++, items
        else fail("expected , or ]")
      }
    }
    if (text[at] === "{") {
      at++
      const map: Record<string, YamlValue> = {}
      space()
      if (text[at] === "}") return at++, map
      for (;;) {
        const key = scalar()
        space()
        if (text[at] !== ":") fail("expected :")
        at++
        map[String(key)] = value()
        space()
        if (text[at] === ",") at++
        else if (text[at] === "}") return at++, map
        else fail("expected , or }")
      }
    }
    return scalar()
  }
  const result = value()
  space()
  if (at !== text.length) fail("trailing text")
  return result
}

/** Every document of a YAML stream, in order (empty documents skipped). */
export const parseYamlDocuments = (source: string): Array<YamlValue> => {
  const documents: Array<Array<Line>> = [[]]
  source.split("\n").forEach((raw, index) => {
    const number = index + 1
    if (/^\t| \t/.test(raw)) throw new YamlError(`line ${number}: tab in indentation`)
    if (raw.startsWith("---")) {
      if (raw.slice(3).trim() !== "" && !raw.slice(3).trim().startsWith("#")) {
        throw new YamlError(`line ${number}: text after ---`)
      }
      documents.push([])
      return
    }
    const text = stripComment(raw).trimEnd()
    if (text.trim() === "") return
    documents.at(-1)!.push({ number, indent: text.length - text.trimStart().length, text: text.trimStart() })
  })
  return documents.filter((lines) => lines.length > 0).map((lines) => parseDocument(lines))
}

/** One document (the stream must hold exactly one). */
export const parseYaml = (source: string): YamlValue => {
  const documents = parseYamlDocuments(source)
  if (documents.length !== 1) throw new YamlError(`expected one document, found ${documents.length}`)
  return documents[0]!
}

const parseDocument = (input: ReadonlyArray<Line>): YamlValue => {
  const lines = [...input]
  const anchors = new Map<string, YamlValue>()
  let at = 0

  const inline = (text: string, line: number): YamlValue => {
    if (text.startsWith("*")) {
      const name = text.slice(1)
      if (!anchors.has(name)) throw new YamlError(`line ${line}: unknown alias *${name}`)
      return anchors.get(name)!
    }
    if (text.startsWith("[") || text.startsWith("{")) return flow(text, line)
    if (text.startsWith("\"") || text.startsWith("'")) return quoted(text, line)
    if (/^[|>!&%@`]/.test(text)) throw new YamlError(`line ${line}: unsupported syntax ${text}`)
    return plain(text)
  }

  const block = (indent: number): YamlValue => {
    const line = lines[at]!
    if (line.indent !== indent) throw new YamlError(`line ${line.number}: unexpected indentation`)
    return line.text === "-" || line.text.startsWith("- ") ? sequence(indent) : mapping(indent)
  }

  /** The value after `key:` or `-` with nothing on its line: a nested block, or null. */
  const nested = (indent: number, sameIndentSequence: boolean): YamlValue => {
    const next = lines[at]
    if (next === undefined) return null
    if (next.indent > indent) return block(next.indent)
    if (sameIndentSequence && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) {
      return sequence(indent)
    }
    return null
  }

  /** `&name rest`: the anchor's name and the rest. */
  const anchor = (text: string): [string | undefined, string] => {
    const found = /^&([A-Za-z0-9_-]+)\s*(.*)$/.exec(text)
    return found === null ? [undefined, text] : [found[1], found[2]!]
  }

  const mapping = (indent: number): YamlValue => {
    const map: Record<string, YamlValue> = {}
    while (at < lines.length && lines[at]!.indent === indent) {
      const line = lines[at]!
      if (line.text.startsWith("- ")) throw new YamlError(`line ${line.number}: a sequence item inside a mapping`)
      const end = keyEnd(line.text)
      if (end < 0) throw new YamlError(`line ${line.number}: expected "key: value"`)
      const rawKey = line.text.slice(0, end).trim()
      const key = rawKey.startsWith("\"") || rawKey.startsWith("'") ? quoted(rawKey, line.number) : rawKey
      const [name, rest] = anchor(line.text.slice(end + 1).trim())
      at++
      const value = rest === "" ? nested(indent, true) : inline(rest, line.number)
      if (name !== undefined) anchors.set(name, value)
      if (key === "<<") {
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          throw new YamlError(`line ${line.number}: << needs a mapping`)
        }
        for (const [k, v] of Object.entries(value)) if (!(k in map)) map[k] = v
      } else {
        if (Object.hasOwn(map, key)) throw new YamlError(`line ${line.number}: duplicate key ${key}`)
        map[key] = value
      }
    }
    if (at < lines.length && lines[at]!.indent > indent) {
      throw new YamlError(`line ${lines[at]!.number}: unexpected indentation`)
    }
    return map
  }

  const sequence = (indent: number): YamlValue => {
    const items: Array<YamlValue> = []
    while (
      at < lines.length && lines[at]!.indent === indent && (lines[at]!.text === "-" || lines[at]!.text.startsWith("- "))
    ) {
      const line = lines[at]!
      const item = line.text.slice(1).trimStart()
      if (item === "") {
        at++
        items.push(nested(indent, false))
      } else if (keyEnd(item) >= 0 && !/^["'[{*]/.test(item)) {
        // "- key: value": a mapping whose first line starts where the key does.
        const itemIndent = indent + (line.text.length - item.length)
        lines[at] = { number: line.number, indent: itemIndent, text: item }
        items.push(mapping(itemIndent))
      } else {
        at++
        items.push(inline(item, line.number))
      }
    }
    return items
  }

  const value = block(lines[0]!.indent)
  if (at < lines.length) throw new YamlError(`line ${lines[at]!.number}: unexpected text`)
  return value
}

// Checks that reformatting changed no text of the web app: for every .tsx file changed since a git revision
// (HEAD by default), the children of each JSX element, as TypeScript's JSX transform reads them (JSX whitespace
// rules applied, adjacent texts joined), must be the same before and after. dprint trims a space that opens or
// closes an element's text (`<span> (note)</span>`), which changes what is shown: write such a space `{" "}`.
// Run after `npm run format`: `node scripts/jsx-text-check.mjs [revision]`.
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import ts from "typescript"

const revision = process.argv[2] ?? "HEAD"
const git = (...args) => execFileSync("git", args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })

/** Each JSX element's children, in source order: texts joined, expressions as a dot. */
const children = (code) => {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { jsx: ts.JsxEmit.React, jsxFactory: "h", jsxFragmentFactory: "F", target: ts.ScriptTarget.ES2022 }
  })
  const found = []
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "h") {
      const parts = []
      for (const arg of node.arguments.slice(2)) {
        const text = ts.isStringLiteral(arg) ? arg.text : undefined
        if (text !== undefined && typeof parts.at(-1) === "string") parts[parts.length - 1] += text
        else parts.push(text ?? null)
      }
      found.push(parts.map((p) => (p === null ? "·" : JSON.stringify(p))).join(" "))
    }
    ts.forEachChild(node, visit)
  }
  visit(ts.createSourceFile("out.js", outputText, ts.ScriptTarget.ES2022, true))
  return found
}

const files = git("diff", "--name-only", "--diff-filter=M", revision, "--", "*.tsx").split("\n").filter((f) => f !== "")
let differences = 0
for (const file of files) {
  const before = children(git("show", `${revision}:${file}`))
  const after = children(readFileSync(file, "utf8"))
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    if (before[i] !== after[i]) {
      differences++
      console.log(`${file}: element ${i + 1}\n  before: ${before[i]}\n  after:  ${after[i]}`)
    }
  }
}
console.log(`${files.length} .tsx files compared with ${revision}, ${differences} differences`)
process.exit(differences === 0 ? 0 : 1)

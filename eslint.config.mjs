// ESLint for the whole tree, set up like Effect's own repositories: ESLint's and typescript-eslint's recommended
// rules (without type information, for speed: `tsc -b` does the type checking), and @effect/eslint-plugin, whose
// `@effect/dprint` rule formats every file with dprint from inside ESLint. The web app adds eslint-plugin-solid.
// `npm run lint` checks, `npm run lint:fix` fixes what can be fixed, `npm run format` applies only the formatting.
import * as effectEslint from "@effect/eslint-plugin"
import js from "@eslint/js"
import solid from "eslint-plugin-solid/configs/typescript"
import { defineConfig } from "eslint/config"
import tseslint from "typescript-eslint"

/**
 * The formatter's settings: Effect's (no semicolons, double quotes, 2 spaces, 120 columns, no trailing commas),
 * and, to keep the style the code was written in, imports in the order written and hanging lists (attributes of a
 * JSX element, items of an array or object literal begun on the opening line go on filling the next lines).
 */
const dprint = {
  indentWidth: 2,
  lineWidth: 120,
  semiColons: "asi",
  quoteStyle: "alwaysDouble",
  trailingCommas: "never",
  // Keeps the comma of `<A,>(...) =>` in .tsx files (without it the arrow parses as JSX).
  "typeParameters.trailingCommas": "onlyMultiLine",
  operatorPosition: "maintain",
  "arrowFunction.useParentheses": "force",
  "module.sortImportDeclarations": "maintain",
  "module.sortExportDeclarations": "maintain",
  "importDeclaration.sortNamedImports": "maintain",
  "exportDeclaration.sortNamedExports": "maintain",
  "arrayExpression.preferHanging": "always",
  "objectExpression.preferHanging": true,
  "jsxAttributes.preferHanging": true
}

/** Constructs refused everywhere. */
const restricted = [{
  // Test doubles are layers (STYLE.md 16).
  selector: "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock)$/]",
  message: "Test doubles are layers, not vi.mock."
}, {
  // dprint trims a space that opens or closes an element's text (dprint-plugin-typescript issue 476): the page
  // would show « Doublon— » for « Doublon — ». Such a space is written {" "}, which the formatter keeps.
  selector: ":matches(JSXText:first-child[value=/^[ \\t]+\\S/], JSXText:last-child[value=/\\S[ \\t]+$/])",
  message: "Write a space that opens or closes an element's text as {\" \"}: the formatter would drop it."
}]

export default defineConfig(
  {
    ignores: ["**/node_modules", "**/dist", "**/.tsbuild", "**/.turbo", "**/.data", "**/coverage", "tmp"]
  },
  {
    files: ["**/*.{ts,tsx,mts,cts,js,mjs,cjs}"],
    extends: [js.configs.recommended, tseslint.configs.recommended, effectEslint.configs.dprint],
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@effect/dprint": ["error", { config: dprint }],
      "@typescript-eslint/no-unused-vars": ["error", {
        argsIgnorePattern: "^_",
        varsIgnorePattern: "^_",
        caughtErrorsIgnorePattern: "^_",
        ignoreRestSiblings: true
      }],
      // An Effect.gen body without a yield is legitimate; `{}` is the empty default of a generic record.
      "require-yield": "off",
      "@typescript-eslint/no-empty-object-type": "off",
      // SMS texts are checked for control characters on purpose.
      "no-control-regex": "off",
      "no-restricted-syntax": ["error", ...restricted]
    }
  },
  {
    // Stubbed RPC handlers in tests take and return anything.
    files: ["packages/*/test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" }
  },
  {
    // Solid's rules (props never destructured, <For> rather than .map in JSX, no innerHTML...), except
    // `solid/reactivity`: its 58 findings when set up were handlers made outside JSX and props read once on purpose.
    files: ["packages/ui/**/*.tsx"],
    plugins: solid.plugins,
    rules: { ...solid.rules, "solid/reactivity": "off" }
  },
  {
    // Plain JavaScript scripts run by Node.
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly" }
    }
  }
)

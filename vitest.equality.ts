import { Either, Option } from "effect"
import { assert } from "vitest"

/**
 * chai's deep equality compares Effect's Option (and Either) through their iterators, so
 * `assert.deepStrictEqual(Option.none(), Option.some(x))` passes: a check that cannot fail. Before
 * the usual comparison, this walks both values and fails where an Option or an Either of one side
 * is not of the same case as the other's.
 */
const caseMismatch = (actual: unknown, expected: unknown, path: string, seen: Set<unknown>): string | undefined => {
  if (typeof actual !== "object" || actual === null || typeof expected !== "object" || expected === null) {
    return undefined
  }
  if (seen.has(actual)) return undefined
  seen.add(actual)
  if (Option.isOption(actual) && Option.isOption(expected)) {
    if (actual._tag !== expected._tag) return `${path}: ${actual._tag} where ${expected._tag} was expected`
    return Option.isSome(actual) && Option.isSome(expected)
      ? caseMismatch(actual.value, expected.value, `${path}.value`, seen)
      : undefined
  }
  if (Either.isEither(actual) && Either.isEither(expected)) {
    if (actual._tag !== expected._tag) return `${path}: ${actual._tag} where ${expected._tag} was expected`
    return Either.isRight(actual) && Either.isRight(expected)
      ? caseMismatch(actual.right, expected.right, `${path}.right`, seen)
      : Either.isLeft(actual) && Either.isLeft(expected)
      ? caseMismatch(actual.left, expected.left, `${path}.left`, seen)
      : undefined
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
      const found = caseMismatch(actual[i], expected[i], `${path}[${i}]`, seen)
      if (found !== undefined) return found
    }
    return undefined
  }
  for (const key of Object.keys(expected)) {
    if (key in actual) {
      const found = caseMismatch(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
        seen
      )
      if (found !== undefined) return found
    }
  }
  return undefined
}

for (const name of ["deepStrictEqual", "deepEqual"] as const) {
  const original = assert[name] as (actual: unknown, expected: unknown, message?: string) => void
  ;(assert as unknown as Record<string, unknown>)[name] = (actual: unknown, expected: unknown, message?: string) => {
    const mismatch = caseMismatch(actual, expected, "value", new Set())
    if (mismatch !== undefined) assert.fail(message === undefined ? mismatch : `${message}: ${mismatch}`)
    original(actual, expected, message)
  }
}

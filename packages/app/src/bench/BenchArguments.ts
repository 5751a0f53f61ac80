/** `--name N` from the command line, a positive integer, or `fallback` when absent. */
export const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  const value = index < 0 ? undefined : Number(process.argv[index + 1])
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`)
  return value
}

/**
 * Finding a commune of the official list by what a person types: part of its name (accents, case,
 * hyphens and apostrophes ignored: "villenave d ornon" finds Villenave-d'Ornon), a postcode, or an
 * INSEE code. Pure: the directory adapter runs it over the whole list.
 */

/** At most this many communes answer one search. */
export const COMMUNE_SEARCH_LIMIT = 20

/** A typed query shorter than this (once normalised) finds nothing: two letters already match thousands. */
export const COMMUNE_SEARCH_MIN_LENGTH = 2

/** Lower case, without accents, every run of other characters than letters and digits as one space. */
export const normalizeCommuneName = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()

/** What one search looks for: digits are codes (a prefix of a postcode or an INSEE code), anything else a name. */
export type CommuneQuery =
  | { readonly _tag: "Nothing" }
  | { readonly _tag: "Code"; readonly code: string }
  | { readonly _tag: "Name"; readonly name: string }

export const parseCommuneQuery = (typed: string): CommuneQuery => {
  const compact = typed.trim().replace(/\s+/g, "").toUpperCase()
  if (/^(?:[0-9]{2,5}|2[AB][0-9]{0,3})$/.test(compact)) return { _tag: "Code", code: compact }
  const name = normalizeCommuneName(typed)
  return name.length < COMMUNE_SEARCH_MIN_LENGTH ? { _tag: "Nothing" } : { _tag: "Name", name }
}

/** What the search reads of a commune. */
export interface Searchable {
  readonly insee: string
  readonly name: string
  readonly postcodes: ReadonlyArray<string>
  readonly population: number
}

/**
 * How well a commune answers the query; lower is better, undefined is no match. Codes: the exact
 * INSEE code, then an exact postcode, then code prefixes. Names: the exact name, then the name
 * starting with the query, then a word of it starting with it, then the query anywhere in it.
 */
export const matchRank = (query: CommuneQuery, commune: Searchable, normalized: string): number | undefined => {
  switch (query._tag) {
    case "Nothing":
      return undefined
    case "Code": {
      if (commune.insee === query.code) return 0
      if (commune.postcodes.includes(query.code)) return 1
      if (commune.insee.startsWith(query.code)) return 2
      if (commune.postcodes.some((p) => p.startsWith(query.code))) return 3
      return undefined
    }
    case "Name": {
      if (normalized === query.name) return 0
      if (normalized.startsWith(query.name)) return 1
      if (` ${normalized}`.includes(` ${query.name}`)) return 2
      if (normalized.includes(query.name)) return 3
      return undefined
    }
  }
}

/**
 * The communes that answer `typed`, best first (then the most populated, then by name and code), at
 * most `limit`. `normalizedName` gives a commune's normalised name (the adapter computes them once).
 */
export const searchCommunes = <C extends Searchable>(
  communes: Iterable<C>,
  typed: string,
  limit: number = COMMUNE_SEARCH_LIMIT,
  normalizedName: (commune: C) => string = (c) => normalizeCommuneName(c.name)
): Array<C> => {
  const query = parseCommuneQuery(typed)
  if (query._tag === "Nothing" || limit <= 0) return []
  const found: Array<{ readonly commune: C; readonly rank: number }> = []
  for (const commune of communes) {
    const rank = matchRank(query, commune, query._tag === "Name" ? normalizedName(commune) : "")
    if (rank !== undefined) found.push({ commune, rank })
  }
  found.sort((a, b) =>
    a.rank - b.rank || b.commune.population - a.commune.population ||
    a.commune.name.localeCompare(b.commune.name, "fr") || a.commune.insee.localeCompare(b.commune.insee)
  )
  return found.slice(0, limit).map((f) => f.commune)
}

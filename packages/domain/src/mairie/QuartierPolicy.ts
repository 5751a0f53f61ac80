import type { Community, CommunityId } from "../communities/Community.js"
import type { Polygon } from "../communities/GeoJson.js"
import { perimetersOverlap } from "../communities/Perimeter.js"
import type { MembershipId } from "../membership/Membership.js"
import type { MapExtent } from "./Quartier.js"

/**
 * The street of an address line, without its house number ("12 bis rue des Lilas" → "rue des
 * Lilas"): what the mairie is shown of a member's address before a redraw.
 */
export const streetOf = (line1: string): string => {
  const street = line1.trim().replace(/^\d+(?:\s*-\s*\d+)?\s*(?:bis|ter|quater|[a-z](?![a-zà-ÿ]))?\s*,?\s*/iu, "")
  return street.length === 0 ? line1.trim() : street
}

/** A name as two quartier names are compared: trimmed, spaces collapsed, case and accents ignored. */
export const nameKey = (name: string): string =>
  name.trim().replace(/\s+/g, " ").normalize("NFD").replace(/\p{Diacritic}/gu, "").toLocaleLowerCase("fr-FR")

/** The active quartier among `others` (other than `self`) already called `name`, if any. */
export const sameName = (
  others: ReadonlyArray<Community>,
  name: string,
  self?: CommunityId
): Community | undefined =>
  others.find((c) => c.status === "active" && c.id !== self && nameKey(c.name) === nameKey(name))

/** The first active quartier among `others` (other than `self`) whose perimeter shares area with `perimeter`. */
export const overlapping = (
  others: ReadonlyArray<Community>,
  perimeter: Polygon,
  self?: CommunityId
): Community | undefined =>
  others.find((c) => c.status === "active" && c.id !== self && perimetersOverlap(c.perimeter, perimeter))

/** Whether the members acknowledged in a preview are exactly the members outside now (order and repeats aside). */
export const samePreview = (
  acknowledged: ReadonlyArray<MembershipId>,
  outside: ReadonlyArray<MembershipId>
): boolean => {
  const a = new Set(acknowledged)
  const b = new Set(outside)
  return a.size === b.size && [...a].every((id) => b.has(id))
}

/**
 * The département of a commune, as its INSEE code begins: three characters overseas ("97411" → "974"),
 * two elsewhere, Corsica included ("2A004" → "2A", "33550" → "33").
 */
export const departementOf = (insee: string): string => insee.slice(0, insee.startsWith("97") ? 3 : 2)

/** The smallest extent that holds every outer-ring point of `perimeters`; none when there are none. */
export const extentOf = (perimeters: ReadonlyArray<Polygon>): MapExtent | undefined => {
  const points = perimeters.flatMap((p) => p.coordinates[0])
  if (points.length === 0) return undefined
  const lons = points.map((p) => p[0])
  const lats = points.map((p) => p[1])
  return { west: Math.min(...lons), south: Math.min(...lats), east: Math.max(...lons), north: Math.max(...lats) }
}

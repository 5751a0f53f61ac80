import { DateTime, Schema } from "effect"
import { AlertCategory, AlertId, AlertOrigin } from "../alerts/Alert.js"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"

const Count = Schema.NonNegativeInt

/** Alerts over the last 24 hours, 7 days and 30 days. */
export const Windows = Schema.Struct({ last24h: Count, last7d: Count, last30d: Count })

export const CommunityFigures = Schema.Struct({
  communityId: CommunityId,
  name: Schema.String,
  verifiedMembers: Count,
  pendingMembers: Count,
  alerts: Windows
})

export const CategoryFigures = Schema.Struct({ category: AlertCategory, alerts: Windows })

/**
 * Deliveries of one town alert by state: queued (pending or being sent), sent, delivered, failed, dead,
 * and withheld (its alert hidden by moderation before they went out), counted apart from failures.
 */
export const TownAlertProgress = Schema.Struct({
  alertId: AlertId,
  origin: AlertOrigin,
  category: AlertCategory,
  createdAt: Schema.DateTimeUtc,
  queued: Count,
  sent: Count,
  delivered: Count,
  failed: Count,
  dead: Count,
  withheld: Count
})

/**
 * A commune's figures, aggregates only: counts of alerts (published or resolved, residents' and
 * town ones) and of members per community, and the delivery progress of the town alerts of the last
 * 30 days. Never a name, an address or a text of a resident.
 */
export class CommuneStatistics extends Schema.Class<CommuneStatistics>("CommuneStatistics")({
  insee: InseeCode,
  generatedAt: Schema.DateTimeUtc,
  communities: Schema.Array(CommunityFigures),
  categories: Schema.Array(CategoryFigures),
  townAlerts: Schema.Array(TownAlertProgress)
}) {}

/**
 * A text cell a spreadsheet would read as a formula (= + - @, or a tab or carriage return before
 * one) is prefixed with an apostrophe: a community named "=HYPERLINK(...)" stays text. Numbers,
 * which are ours, are written as they are.
 */
export const neutralizeCell = (text: string): string => /^[=+\-@\t\r]/.test(text) ? `'${text}` : text

const cell = (value: string | number): string => {
  const text = typeof value === "number" ? String(value) : neutralizeCell(value)
  return /[",\n\r;\t]/.test(text) ? `"${text.replaceAll("\"", "\"\"")}"` : text
}

/**
 * The figures as one CSV (RFC 4180, comma-separated, CRLF), one section per table, each with its
 * header row: what a spreadsheet opens as is, no text cell taken for a formula.
 */
export const toCsv = (stats: CommuneStatistics): string => {
  const lines: Array<string> = []
  const row = (...cells: ReadonlyArray<string | number>) => lines.push(cells.map(cell).join(","))
  row("section", "id", "name", "verified_members", "pending_members", "alerts_24h", "alerts_7d", "alerts_30d")
  for (const c of stats.communities) {
    row(
      "community",
      c.communityId,
      c.name,
      c.verifiedMembers,
      c.pendingMembers,
      c.alerts.last24h,
      c.alerts.last7d,
      c.alerts.last30d
    )
  }
  for (const c of stats.categories) {
    row("category", c.category, "", "", "", c.alerts.last24h, c.alerts.last7d, c.alerts.last30d)
  }
  row("")
  row(
    "section",
    "alert_id",
    "created_at",
    "origin",
    "category",
    "queued",
    "sent",
    "delivered",
    "failed",
    "dead",
    "withheld"
  )
  for (const t of stats.townAlerts) {
    row(
      "town_alert",
      t.alertId,
      DateTime.formatIso(t.createdAt),
      t.origin,
      t.category,
      t.queued,
      t.sent,
      t.delivered,
      t.failed,
      t.dead,
      t.withheld
    )
  }
  return lines.join("\r\n") + "\r\n"
}

import { describe, expect, it } from "@effect/vitest"
import { AlertCategory, AlertOrigin, AlertStatus, Urgency } from "@vigie/domain/alerts/Alert"
import {
  alertStatusLabels,
  categoryLabels,
  mairieOf,
  originLabels,
  urgencyLabels
} from "@vigie/domain/alerts/AlertLabels"
import { gsm7Segments, toGsm7 } from "@vigie/domain/channels/Gsm7"

const tables = [
  ["category", categoryLabels, AlertCategory.members.flatMap((m) => m.literals)],
  ["urgency", urgencyLabels, Urgency.literals],
  ["status", alertStatusLabels, AlertStatus.literals],
  ["origin", originLabels, AlertOrigin.literals]
] as const

describe("AlertLabels", () => {
  it("names every value of each enumeration, each with its own words", () => {
    for (const [, labels, literals] of tables) {
      expect(Object.keys(labels).sort()).toEqual([...literals].sort())
      const words = Object.values(labels)
      expect(words.every((w) => w.trim() !== "")).toBe(true)
      expect(new Set(words).size).toBe(words.length)
    }
  })

  it("keeps category names short enough for a one-part SMS, and GSM-7 once made so", () => {
    for (const label of Object.values(categoryLabels)) {
      expect(label.length).toBeLessThanOrEqual(32)
      expect(gsm7Segments(toGsm7(label)).encoding).toBe("GSM-7")
    }
  })

  it("names a commune's town hall with the right French article", () => {
    expect(["Lyon", "Orléans", "Le Havre", "Les Mureaux"].map(mairieOf))
      .toEqual(["Mairie de Lyon", "Mairie d'Orléans", "Mairie du Havre", "Mairie des Mureaux"])
  })
})

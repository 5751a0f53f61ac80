import { describe, expect, it } from "@effect/vitest"
import { DateTime } from "effect"
import type { AlertId } from "../../src/alerts/Alert.js"
import type { InseeCode } from "../../src/communities/Commune.js"
import type { CommunityId } from "../../src/communities/Community.js"
import { CommuneStatistics, neutralizeCell, toCsv } from "../../src/mairie/CommuneStatistic.js"

const windows = { last24h: 0, last7d: 1, last30d: 2 }

const statsNamed = (...names: ReadonlyArray<string>) =>
  new CommuneStatistics({
    insee: "33080" as InseeCode,
    generatedAt: DateTime.unsafeMake("2026-12-01T10:00:00Z"),
    communities: names.map((name, i) => ({
      communityId: `00000000-0000-4000-8000-00000000000${i}` as CommunityId,
      name,
      verifiedMembers: 3,
      pendingMembers: 0,
      alerts: windows
    })),
    categories: [],
    townAlerts: [{
      alertId: "00000000-0000-4000-8000-0000000000aa" as AlertId,
      origin: "mairie",
      category: "weather",
      createdAt: DateTime.unsafeMake("2026-12-01T09:00:00Z"),
      queued: 0,
      sent: 1,
      delivered: 2,
      failed: 0,
      dead: 0,
      withheld: 0
    }]
  })

const rowOf = (csv: string, id: string) => csv.split("\r\n").find((line) => line.includes(id))!

describe("the statistics CSV a mairie opens in a spreadsheet", () => {
  it("writes a name that looks like a formula as text: = + - @, tab and carriage return are neutralised", () => {
    const csv = toCsv(
      statsNamed("=HYPERLINK(\"http://evil\",\"x\")", "+33 rue", "-2+3", "@SUM(A1)", "\tcmd", "\r=1+1", "Les Vignes")
    )
    const names = [0, 1, 2, 3, 4, 5, 6].map((i) => rowOf(csv, `-00000000000${i},`).split(`-00000000000${i},`)[1]!)
    expect(names[0]).toBe("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",3,0,0,1,2")
    expect(names[1]).toBe("'+33 rue,3,0,0,1,2")
    expect(names[2]).toBe("'-2+3,3,0,0,1,2")
    expect(names[3]).toBe("'@SUM(A1),3,0,0,1,2")
    expect(names[4]).toBe("\"'\tcmd\",3,0,0,1,2")
    expect(names[5]).toBe("\"'\r=1+1\",3,0,0,1,2")
    expect(names[6]).toBe("Les Vignes,3,0,0,1,2")
  })

  it("leaves ordinary text and its own figures alone", () => {
    expect(neutralizeCell("Centre-bourg")).toBe("Centre-bourg")
    expect(neutralizeCell("")).toBe("")
    expect(neutralizeCell("=1")).toBe("'=1")
    expect(rowOf(toCsv(statsNamed("Bourg")), "town_alert")).toBe(
      "town_alert,00000000-0000-4000-8000-0000000000aa,2026-12-01T09:00:00.000Z,mairie,weather,0,1,2,0,0,0"
    )
  })
})

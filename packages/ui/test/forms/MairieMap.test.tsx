import { UnknownCommune } from "@vigie/domain/communities/CommunityErrors"
import { CommuneStatistics } from "@vigie/domain/mairie/CommuneStatistic"
import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { MairieDashboard } from "../../src/features/mairie/MairieDashboard.js"
import { bourg, graves, insee, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const stats = new CommuneStatistics({
  insee,
  generatedAt: now,
  communities: [
    { communityId: bourg.id, name: bourg.name, verifiedMembers: 42, pendingMembers: 3,
      alerts: { last24h: 1, last7d: 4, last30d: 9 } },
    { communityId: graves.id, name: graves.name, verifiedMembers: 1, pendingMembers: 0,
      alerts: { last24h: 0, last7d: 0, last30d: 1 } }
  ],
  categories: [],
  townAlerts: []
})

describe("map of the quartiers on the mairie dashboard", () => {
  it("draws each quartier's perimeter with its figures, and lists the same figures as the path without the map", async () => {
    const s = stubServer({
      GetCommuneStatistics: () => Effect.succeed(stats),
      WatchCommuneStatistics: () => Stream.make(stats).pipe(Stream.concat(Stream.never)),
      ListCommunities: () => Effect.succeed([bourg, graves])
    })
    renderPage(() => <MairieDashboard staff={{ insee, side: "mairie" }} />, s, "/mairie")
    const section = await screen.findByRole("region", { name: "Carte des quartiers" })
    const map = await within(section).findByRole("img", { name: "Plan des quartiers : Le Bourg, Les Graves" })
    expect(map.querySelectorAll("path.quartier")).toHaveLength(2)
    const drawn = [...map.querySelectorAll(".quartier-label .figures")].map((t) => t.textContent)
    expect(drawn).toEqual(["42 membres", "9 alertes / 30 j", "1 membre", "1 alerte / 30 j"])
    expect(s.called("ListCommunities")[0]!.payload).toEqual({ insee })

    const list = within(section).getByRole("list", { name: "Quartiers et leurs chiffres" })
    const items = within(list).getAllByRole("listitem").map((
      li
    ) => [li.querySelector("button")!.textContent!.trim(), li.querySelector("p")!.textContent])
    expect(items).toEqual([
      ["Le Bourg", "42 membres vérifiés, 3 en attente ; alertes : 1 sur 24 h, 4 sur 7 jours, 9 sur 30 jours"],
      ["Les Graves", "1 membre vérifié, 0 en attente ; alertes : 0 sur 24 h, 0 sur 7 jours, 1 sur 30 jours"]
    ])

    // Choosing in the list (keyboard path) highlights the quartier on the map too.
    const graves_ = within(list).getByRole("button", { name: "Les Graves" })
    graves_.focus()
    await userEvent.keyboard("{Enter}")
    await waitFor(() => expect(graves_.getAttribute("aria-pressed")).toBe("true"))
    const selected = map.querySelector(".quartier-label.selected .name")
    expect(selected?.textContent).toBe("Les Graves")
  })

  it("keeps the list when the perimeters cannot be read", async () => {
    const s = stubServer({
      GetCommuneStatistics: () => Effect.succeed(stats),
      WatchCommuneStatistics: () => Stream.make(stats).pipe(Stream.concat(Stream.never)),
      ListCommunities: () => Effect.fail(new UnknownCommune({ insee }))
    })
    renderPage(() => <MairieDashboard staff={{ insee, side: "mairie" }} />, s, "/mairie")
    const section = await screen.findByRole("region", { name: "Carte des quartiers" })
    expect(await within(section).findByRole("alert")).toBeTruthy()
    expect(within(section).queryByRole("img")).toBeNull()
    expect(within(section).getAllByRole("listitem")).toHaveLength(2)
  })
})

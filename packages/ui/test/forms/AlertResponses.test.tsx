import { Me, MyMembership } from "@vigie/domain/accounts/Me"
import { ReactionSummary, Reactor } from "@vigie/domain/alerts/AlertReaction"
import { AlertClosedToReactions } from "@vigie/domain/alerts/AlertReactionErrors"
import { AlertAcknowledgements } from "@vigie/domain/mairie/SharedAlert"
import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { DateTime, Effect, Option, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { AlertPage } from "../../src/features/alerts/AlertPage.js"
import { AlertReactionsPanel } from "../../src/features/alerts/AlertResponses.js"
import { account, alertView, bourg, graves, insee, me, membership, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const chloe = new Reactor({ name: "Chloé M.", mine: false, at: now })
const yvette = new Reactor({ name: "Yvette P.", mine: true, at: now })
const shown = alertView()
const summary = (going: ReadonlyArray<Reactor>, seen: ReadonlyArray<Reactor> = []) =>
  new ReactionSummary({ alertId: shown.id, going, seen })

const panel = () => screen.getByRole("region", { name: "Entre voisins" })
const button = (name: string) => within(panel()).getByRole("button", { name })
const line = (kind: "going" | "seen") => panel().querySelector(`dd[data-kind="${kind}"]`)!.textContent

describe("J'y vais and Vu", () => {
  it("shows who marked the alert, and toggles my own marks with the server's answer", async () => {
    const s = stubServer({
      GetAlertReactions: () => Effect.succeed(summary([chloe])),
      WatchLiveEvents: () => Stream.never,
      MarkAlert: () => Effect.succeed(summary([chloe, yvette])),
      UnmarkAlert: () => Effect.succeed(summary([chloe]))
    })
    renderPage(() => <AlertReactionsPanel alert={shown} me={me()} />, s, `/alertes/${shown.id}`)
    await waitFor(() => expect(line("going")).toBe("Chloé M."))
    expect(line("seen")).toBe("Personne pour l'instant")
    expect(within(panel()).getByText("J'y vais (1)")).toBeTruthy()
    expect(button("J'y vais").getAttribute("aria-pressed")).toBe("false")

    await userEvent.click(button("J'y vais"))
    await waitFor(() => expect(line("going")).toBe("Chloé M., Yvette P. (vous)"))
    expect(button("J'y vais").getAttribute("aria-pressed")).toBe("true")
    expect(s.called("MarkAlert")[0]!.payload).toEqual({ alertId: shown.id, kind: "going" })

    await userEvent.click(button("J'y vais"))
    await waitFor(() => expect(line("going")).toBe("Chloé M."))
    expect(s.called("UnmarkAlert")[0]!.payload).toEqual({ alertId: shown.id, kind: "going" })
    expect(button("J'y vais").getAttribute("aria-pressed")).toBe("false")
  })

  it("shows others' new marks live, without reload, and tells screen readers", async () => {
    let reads = 0
    const s = stubServer({
      GetAlertReactions: () => Effect.sync(() => (reads++ === 0 ? summary([]) : summary([chloe], [chloe]))),
      WatchLiveEvents: () =>
        Stream.fromEffect(Effect.as(Effect.sleep("200 millis"), {
          _tag: "AlertReactionsChanged" as const,
          alertId: shown.id,
          insee,
          communityIds: [bourg.id]
        })).pipe(Stream.concat(Stream.never))
    })
    renderPage(() => <AlertReactionsPanel alert={shown} me={me()} />, s, `/alertes/${shown.id}`)
    await waitFor(() => expect(line("going")).toBe("Personne pour l'instant"))
    await waitFor(() => expect(line("going")).toBe("Chloé M."), { timeout: 3000 })
    expect(line("seen")).toBe("Chloé M.")
    expect(screen.getByText("Chloé M. y va. Chloé M. l'a vue.")).toBeTruthy()
    expect(s.called("GetAlertReactions")).toHaveLength(2)
  })

  it("shows the server's refusal in French next to the buttons", async () => {
    const s = stubServer({
      GetAlertReactions: () => Effect.succeed(summary([])),
      WatchLiveEvents: () => Stream.never,
      MarkAlert: () => Effect.fail(new AlertClosedToReactions({ alertId: shown.id, status: "resolved" }))
    })
    renderPage(() => <AlertReactionsPanel alert={shown} me={me()} />, s, `/alertes/${shown.id}`)
    await waitFor(() => expect(line("seen")).toBe("Personne pour l'instant"))
    await userEvent.click(button("Vu"))
    const error = await within(panel()).findByRole("alert")
    expect(error.textContent).toBe("Cette alerte est résolue : on ne peut plus indiquer « J'y vais » ou « Vu ».")
    expect(button("Vu").getAttribute("aria-pressed")).toBe("false")
  })

  it("offers no buttons to a reader who is not a verified member of its community, nor on a closed alert", async () => {
    const elsewhere = new Me({ account,
      memberships: [new MyMembership({ membership: membership(graves, "verified"), community: graves })] })
    const s = stubServer({ GetAlertReactions: () => Effect.succeed(summary([chloe])), WatchLiveEvents: () =>
      Stream.never })
    renderPage(() => <AlertReactionsPanel alert={shown} me={elsewhere} />, s, `/alertes/${shown.id}`)
    await waitFor(() => expect(line("going")).toBe("Chloé M."))
    expect(within(panel()).queryByRole("button")).toBeNull()
    cleanup()
    renderPage(
      () => <AlertReactionsPanel alert={alertView({ status: "resolved" })} me={me()} />,
      s,
      `/alertes/${shown.id}`
    )
    await waitFor(() => expect(line("going")).toBe("Chloé M."))
    expect(within(panel()).queryByRole("button")).toBeNull()
  })
})

describe("the authorities took note", () => {
  const mine = alertView({ mine: true, sharedWithAuthorities: true })
  const server = () =>
    stubServer({
      GetAlert: () => Effect.succeed(mine),
      GetAlertReactions: () => Effect.succeed(summary([])),
      WatchLiveEvents: () => Stream.never,
      GetAlertAcknowledgements: () =>
        Effect.succeed(
          new AlertAcknowledgements({
            alertId: mine.id,
            mairie: Option.none(),
            police: Option.some(DateTime.unsafeMake("2026-03-02T10:20:00Z"))
          })
        )
    })

  it("tells the author of a shared alert which side took note, and when", async () => {
    const s = server()
    renderPage(() => <AlertPage me={me()} />, s, `/alertes/${mine.id}`, "/alertes/:id")
    const section = await screen.findByRole("region", { name: "Mairie et police municipale" })
    await waitFor(() =>
      expect(section.querySelector("[data-side=\"police\"]")!.textContent).toMatch(
        /^La police municipale : pris en compte le /
      )
    )
    expect(section.querySelector("[data-side=\"mairie\"]")!.textContent).toBe("La mairie : pas encore pris en compte")
    expect(s.called("GetAlertAcknowledgements")[0]!.payload).toEqual({ alertId: mine.id })
  })

  it("is not shown on someone else's alert, nor on one not shared", async () => {
    const s = stubServer({
      GetAlert: () => Effect.succeed(alertView({ sharedWithAuthorities: true })),
      GetAlertReactions: () => Effect.succeed(summary([])),
      WatchLiveEvents: () => Stream.never
    })
    renderPage(() => <AlertPage me={me()} />, s, `/alertes/${shown.id}`, "/alertes/:id")
    await screen.findByRole("region", { name: "Entre voisins" })
    expect(screen.queryByRole("region", { name: "Mairie et police municipale" })).toBeNull()
    expect(s.called("GetAlertAcknowledgements")).toEqual([])
  })
})

import { AlertId } from "@vigie/domain/alerts/Alert"
import { ChannelPreference, NotificationPreferences } from "@vigie/domain/delivery/NotificationPreferences"
import { defaultGazettePreferences } from "@vigie/domain/gazette/GazettePreferences"
import { NotAVerifiedMember } from "@vigie/domain/membership/MembershipErrors"
import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { Feed } from "../../src/features/alerts/Feed.js"
import { PostAlert } from "../../src/features/alerts/PostAlert.js"
import { PreferencesPage } from "../../src/features/preferences/PreferencesForm.js"
import { AlertPage } from "../../src/features/alerts/AlertPage.js"
import { accountId, alertView, bourg, insee, me } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"
import { AlertPage as AlertPageSchema } from "@vigie/domain/alerts/AlertRpcs"
import { ReactionCounts } from "@vigie/domain/alerts/AlertReaction"

afterEach(cleanup)

describe("posting an alert", () => {
  it("names what is missing in French, sends nothing, and shows 17 / 18 / 15 before sending", async () => {
    let answer: Effect.Effect<any, any> = Effect.fail(new NotAVerifiedMember({ communityId: bourg.id }))
    const s = stubServer({ WhoAmI: () => Effect.succeed(me()), PostAlert: () => answer })
    renderPage(() => <PostAlert me={me()} />, s, "/alertes/nouvelle")
    expect(screen.getAllByRole("link", { name: "17" }).length).toBeGreaterThan(0)
    await userEvent.click(screen.getByRole("button", { name: "Continuer" }))
    expect(await screen.findByText("Choisissez ce que vous signalez.")).toBeTruthy()
    expect(screen.getByText("Dites si c'est urgent ou pour information.")).toBeTruthy()
    expect(screen.getByText("Indiquez ce que vous avez vu (quelques mots suffisent).")).toBeTruthy()
    expect(screen.queryByRole("button", { name: "Envoyer l'alerte" })).toBeNull()

    await userEvent.click(screen.getByRole("radio", { name: "Véhicule suspect" }))
    await userEvent.click(screen.getByRole("radio", { name: /^Urgent/ }))
    await userEvent.type(screen.getByLabelText("Ce que vous avez vu"), "Camionnette blanche, plaque illisible")
    await userEvent.type(screen.getByLabelText("Lieu (facultatif)"), "Rue du Port")
    await userEvent.click(screen.getByRole("switch", { name: "Partager avec la mairie et la police municipale" }))
    await userEvent.click(screen.getByRole("button", { name: "Continuer" }))
    const confirm = await screen.findByRole("form", { name: "Confirmer l'envoi" })
    expect(confirm.querySelector("#reminder-confirm")?.textContent).toMatch(/17.*18.*15/s)
    expect(s.called("PostAlert")).toEqual([])

    await userEvent.click(screen.getByRole("button", { name: "Envoyer l'alerte" }))
    expect(await screen.findByText(/Vous devez avoir activé votre adresse dans cette communauté/)).toBeTruthy()
    answer = Effect.succeed(alertView({ mine: true }))
    await userEvent.click(screen.getByRole("button", { name: "Envoyer l'alerte" }))
    await waitFor(() => expect(s.called("PostAlert")).toHaveLength(2))
    const payload = s.called("PostAlert")[1]!.payload
    expect(payload).toMatchObject({
      scope: { _tag: "Community", communityId: bourg.id },
      category: "suspicious_vehicle",
      urgency: "urgent",
      text: "Camionnette blanche, plaque illisible",
      sharedWithAuthorities: true
    })
    expect(payload.place).toEqual(Option.some("Rue du Port"))
  })
})

describe("my alert", () => {
  it("lets its author resolve it, after a confirmation", async () => {
    const mine = alertView({ mine: true })
    const s = stubServer({
      GetAlert: () => Effect.succeed(mine),
      ResolveAlert: () => Effect.succeed(alertView({ mine: true, status: "resolved" }))
    })
    renderPage(() => <AlertPage me={me()} />, s, `/alertes/${mine.id}`, "/alertes/:id")
    await userEvent.click(await screen.findByRole("button", { name: "C'est résolu" }))
    await userEvent.click(screen.getByRole("button", { name: "Oui, c'est résolu" }))
    expect(await screen.findByText("Résolue")).toBeTruthy()
    expect(s.called("ResolveAlert")[0]!.payload).toEqual({ alertId: mine.id })
  })

  it("names a neighbour's alert's author « Chloé M. » and offers them no owner's actions; an erased author is « Ancien membre »", async () => {
    const theirs = alertView({ authorName: Option.some("Chloé M.") })
    renderPage(
      () => <AlertPage me={me()} />,
      stubServer({ GetAlert: () => Effect.succeed(theirs) }),
      `/alertes/${theirs.id}`,
      "/alertes/:id"
    )
    expect(await screen.findByText("Chloé M.")).toBeTruthy()
    expect(screen.queryByRole("button", { name: "C'est résolu" })).toBeNull()
    expect(screen.queryByText("C'est votre alerte")).toBeNull()
    cleanup()
    const erased = alertView({ authorName: Option.some("Ancien membre") })
    renderPage(
      () => <AlertPage me={me()} />,
      stubServer({ GetAlert: () => Effect.succeed(erased) }),
      `/alertes/${erased.id}`,
      "/alertes/:id"
    )
    expect(await screen.findByText("Ancien membre")).toBeTruthy()
  })
})

describe("feed", () => {
  it("shows a new alert live, with a visible cue", async () => {
    const fresh = alertView({ id: AlertId.make("77777777-7777-4777-8777-777777777777"), text: "Fumée derrière l'école",
      category: "fire_or_smoke" })
    const s = stubServer({
      ListAlerts: () => Effect.succeed(new AlertPageSchema({ alerts: [alertView()], nextBefore: Option.none() })),
      GetAlert: () => Effect.succeed(fresh),
      CountAlertReactions: () => Effect.succeed([new ReactionCounts({ alertId: alertView().id, going: 2, seen: 1 })]),
      WatchLiveEvents: () =>
        Stream.fromEffect(
          Effect.as(Effect.sleep("300 millis"), { _tag: "AlertPublished" as const, alertId: fresh.id, insee,
            communityIds: [bourg.id] })
        ).pipe(Stream.concat(Stream.never))
    })
    renderPage(() => <Feed me={me()} />, s, "/")
    expect(await screen.findByText("Camionnette blanche qui tourne dans la rue depuis une heure")).toBeTruthy()
    expect(await screen.findByText("Fumée derrière l'école")).toBeTruthy()
    expect(screen.getByText(/1 nouvelle alerte/)).toBeTruthy()
    expect(screen.getByText("Nouveau")).toBeTruthy()
    expect(screen.getByText("En direct")).toBeTruthy()
    // The marks of the cards, in short.
    expect(screen.getByText("Voisins : 2 y vont · 1 l'a vue")).toBeTruthy()
  })
})

describe("notification preferences", () => {
  it("refuses equal quiet hours in French and saves valid choices", async () => {
    const prefs = new NotificationPreferences({ accountId, sms: "all", email: "all", quietHours: Option.none() })
    const s = stubServer({
      GetPreferences: () => Effect.succeed(prefs),
      UpdatePreferences: (p: any) => Effect.succeed(new NotificationPreferences({ accountId, ...p })),
      GetGazettePreferences: () => Effect.succeed(defaultGazettePreferences(accountId))
    })
    renderPage(() => <PreferencesPage />, s, "/preferences")
    const sms = await screen.findByRole("group", { name: "Par SMS" })
    await userEvent.click(within(sms).getByRole("radio", { name: "Seulement les alertes urgentes" }))
    await userEvent.click(screen.getByRole("switch", { name: /Ne pas me déranger la nuit/ }))
    const start = screen.getByLabelText("De") as HTMLInputElement
    const end = screen.getByLabelText("À") as HTMLInputElement
    await userEvent.clear(end)
    await userEvent.type(end, start.value)
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }))
    expect(await screen.findByText("Le début et la fin doivent être différents.")).toBeTruthy()
    expect(s.called("UpdatePreferences")).toEqual([])
    await userEvent.clear(end)
    await userEvent.type(end, "07:30")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }))
    expect(await screen.findByText("Préférences enregistrées.")).toBeTruthy()
    const payload = s.called("UpdatePreferences")[0]!.payload
    expect(payload.sms satisfies ChannelPreference).toBe("urgent_only")
    expect(payload.quietHours).toEqual(Option.some({ start: 21 * 60, end: 7 * 60 + 30 }))
    expect(payload.voiceUrgent).toBe(false)
  })

  it("turns on the voice call for urgent alerts, with its explanation read with the switch", async () => {
    const prefs = new NotificationPreferences({ accountId, sms: "none", email: "none", quietHours: Option.none() })
    const s = stubServer({
      GetPreferences: () => Effect.succeed(prefs),
      UpdatePreferences: (p: any) => Effect.succeed(new NotificationPreferences({ accountId, ...p })),
      GetGazettePreferences: () => Effect.succeed(defaultGazettePreferences(accountId))
    })
    renderPage(() => <PreferencesPage />, s, "/preferences")
    const voice = await screen.findByRole("switch", { name: "Appel vocal pour les alertes urgentes" })
    expect((voice as HTMLInputElement).checked).toBe(false)
    expect(voice.getAttribute("aria-describedby")).toBe("voice-hint")
    expect(within(screen.getByRole("group", { name: "Par appel vocal" })).getByText(/lit l'alerte à voix haute/))
      .toBeTruthy()
    await userEvent.click(voice)
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }))
    expect(await screen.findByText("Préférences enregistrées.")).toBeTruthy()
    const payload = s.called("UpdatePreferences")[0]!.payload
    expect([payload.sms, payload.email, payload.voiceUrgent]).toEqual(["none", "none", true])
  })
})

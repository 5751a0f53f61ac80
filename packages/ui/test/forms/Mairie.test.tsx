import { AlertId } from "@vigie/domain/alerts/Alert"
import { BudgetExceeded, PreviewOutdated } from "@vigie/domain/mairie/MairieErrors"
import { CommuneStatistics } from "@vigie/domain/mairie/CommuneStatistic"
import { SharedAlert } from "@vigie/domain/mairie/SharedAlert"
import { SharedAlertPage } from "@vigie/domain/mairie/SharedAlert"
import { PreviewToken, TownAlertPreview, TownAlertSent } from "@vigie/domain/mairie/TownAlert"
import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { AuthoritiesInbox } from "../../src/features/mairie/AuthoritiesInbox.js"
import { MairieDashboard } from "../../src/features/mairie/MairieDashboard.js"
import { TownAlertComposer } from "../../src/features/mairie/TownAlertComposer.js"
import { alert, alertView, bourg, graves, insee, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const token = PreviewToken.make("88888888-8888-4888-8888-888888888888")
const communities = [{ communityId: bourg.id, name: bourg.name }, { communityId: graves.id, name: graves.name }]

const preview = (overrides: Partial<ConstructorParameters<typeof TownAlertPreview>[0]> = {}) =>
  new TownAlertPreview({
    previewToken: token,
    insee,
    origin: "mairie",
    sms: 120,
    email: 340,
    voice: 0,
    smsText: "Mairie de Cadaujac : coupure d'eau demain 8h-12h",
    smsEncoding: "GSM-7",
    smsSegments: 2,
    billedSegments: 240,
    costEur: 9.6,
    pricePerSegmentEur: 0.04,
    estimatedSeconds: 1500,
    exceedsProviderQueue: false,
    budget: { monthlySegments: 5000, usedSegments: 1000, remainingSegments: 4000 },
    fitsBudget: true,
    expiresAt: now,
    ...overrides
  })

const fillDraft = async () => {
  await userEvent.click(screen.getByRole("radio", { name: "Coupure d'eau ou d'électricité" }))
  await userEvent.click(screen.getByRole("radio", { name: /^Information/ }))
  await userEvent.type(screen.getByLabelText("Texte de l'annonce"), "Coupure d'eau demain de 8 h à 12 h")
}

describe("town-alert composer", () => {
  it("names what is missing in French and offers no confirmation before a preview", async () => {
    const s = stubServer({})
    renderPage(() => <TownAlertComposer insee={insee} communities={communities} />, s, "/mairie")
    expect(screen.queryByRole("button", { name: "Confirmer l'envoi" })).toBeNull()
    await userEvent.click(screen.getByRole("button", { name: "Prévisualiser" }))
    expect(await screen.findByText("Choisissez la catégorie de l'annonce.")).toBeTruthy()
    expect(screen.getByText("Dites si l'annonce est urgente ou pour information.")).toBeTruthy()
    expect(screen.getByText("Indiquez le texte de l'annonce.")).toBeTruthy()
    await userEvent.click(screen.getByRole("radio", { name: "Certains quartiers" }))
    await userEvent.click(screen.getByRole("button", { name: "Prévisualiser" }))
    expect(await screen.findByText("Choisissez au moins un quartier, ou toute la commune.")).toBeTruthy()
    expect(s.called("PreviewTownAlert")).toEqual([])
    expect(screen.queryByRole("button", { name: "Confirmer l'envoi" })).toBeNull()
  })

  it("shows the preview's figures, then confirms it explicitly for the chosen communities", async () => {
    const s = stubServer({
      PreviewTownAlert: () => Effect.succeed(preview({ exceedsProviderQueue: true, estimatedSeconds: 12_000 })),
      ConfirmTownAlert: () =>
        Effect.succeed(
          new TownAlertSent({ alert: alert({ origin: "mairie", category: "water_or_power_cut" }), sms: 120, email: 340,
            emailOnly: false })
        )
    })
    renderPage(() => <TownAlertComposer insee={insee} communities={communities} />, s, "/mairie")
    await fillDraft()
    await userEvent.click(screen.getByRole("radio", { name: "Certains quartiers" }))
    await userEvent.click(screen.getByRole("checkbox", { name: graves.name }))
    await userEvent.click(screen.getByRole("button", { name: "Prévisualiser" }))
    const region = await screen.findByRole("region", { name: "Prévisualisation" })
    expect(within(region).getByTestId("preview-sms").textContent).toBe("120 destinataires")
    expect(within(region).getByTestId("preview-email").textContent).toBe("340 destinataires")
    expect(within(region).getByText(/2 SMS par destinataire/)).toBeTruthy()
    expect(within(region).getByTestId("preview-cost").textContent).toMatch(/9,60\s€.*240 SMS facturés/)
    expect(within(region).getByTestId("preview-time").textContent).toBe("environ 3 h 20")
    expect(within(region).getByText(/plus de 3 heures/)).toBeTruthy()
    // An information alert places no call: no line for them.
    expect(within(region).queryByTestId("preview-voice")).toBeNull()
    expect(s.called("PreviewTownAlert")[0]!.payload).toMatchObject({
      insee,
      category: "water_or_power_cut",
      urgency: "info",
      text: "Coupure d'eau demain de 8 h à 12 h",
      communityIds: Option.some([graves.id])
    })
    expect(s.called("ConfirmTownAlert")).toEqual([])
    await userEvent.click(screen.getByRole("button", { name: "Confirmer l'envoi" }))
    expect(await screen.findByText(/Annonce envoyée : 120 SMS et 340 e-mails/)).toBeTruthy()
    expect(s.called("ConfirmTownAlert")[0]!.payload).toEqual({ previewToken: token, emailOnly: false })
  })

  it("says how many voice calls an urgent alert places, apart from the SMS budget, and none by e-mail only", async () => {
    const s = stubServer({
      PreviewTownAlert: () => Effect.succeed(preview({ voice: 3 })),
      ConfirmTownAlert: () =>
        Effect.succeed(
          new TownAlertSent({ alert: alert({ origin: "mairie" }), sms: 0, email: 340, emailOnly: true })
        )
    })
    renderPage(() => <TownAlertComposer insee={insee} communities={communities} />, s, "/mairie")
    await userEvent.click(screen.getByRole("radio", { name: "Coupure d'eau ou d'électricité" }))
    await userEvent.click(screen.getByRole("radio", { name: /^Urgent/ }))
    await userEvent.type(screen.getByLabelText("Texte de l'annonce"), "Coupure d'eau immédiate")
    await userEvent.click(screen.getByRole("button", { name: "Prévisualiser" }))
    const region = await screen.findByRole("region", { name: "Prévisualisation" })
    expect(within(region).getByText("Appels vocaux")).toBeTruthy()
    expect(within(region).getByTestId("preview-voice").textContent).toBe(
      "3 appels vocaux (alerte urgente, membres qui l'ont choisi), non comptés dans le budget SMS"
    )
    // The budget is the SMS parts alone.
    expect(within(region).getByTestId("preview-cost").textContent).toMatch(/240 SMS facturés/)
    await userEvent.click(within(region).getByRole("checkbox", { name: "E-mail seulement (aucun SMS ni appel vocal)" }))
    expect(within(region).getByTestId("preview-voice").textContent).toBe(
      "Aucun appel : e-mail seulement choisi (sinon 3 appels vocaux)"
    )
    await userEvent.click(screen.getByRole("button", { name: "Confirmer l'envoi" }))
    await waitFor(() => expect(s.called("ConfirmTownAlert")).toHaveLength(1))
    expect(s.called("ConfirmTownAlert")[0]!.payload).toEqual({ previewToken: token, emailOnly: true })
  })

  it("explains an exceeded budget in French and lets the agent send by e-mail only", async () => {
    let answer: Effect.Effect<any, any> = Effect.fail(
      new BudgetExceeded({ insee, monthlySegments: 5000, usedSegments: 4900, neededSegments: 240 })
    )
    const s = stubServer({
      PreviewTownAlert: () => Effect.succeed(preview()),
      ConfirmTownAlert: () => answer
    })
    renderPage(() => <TownAlertComposer insee={insee} communities={communities} />, s, "/mairie")
    await fillDraft()
    await userEvent.click(screen.getByRole("button", { name: "Prévisualiser" }))
    await userEvent.click(await screen.findByRole("button", { name: "Confirmer l'envoi" }))
    expect(
      await screen.findByText(
        "Le budget SMS du mois ne suffit pas : 240 SMS nécessaires, 100 restants sur 5000. Rien n'a été envoyé. " +
          "Vous pouvez envoyer l'alerte par e-mail seulement."
      )
    ).toBeTruthy()
    const emailOnly = screen.getByRole("checkbox", { name: "E-mail seulement (aucun SMS)" }) as HTMLInputElement
    expect(emailOnly.checked).toBe(true)
    answer = Effect.succeed(
      new TownAlertSent({ alert: alert({ origin: "mairie" }), sms: 0, email: 340, emailOnly: true })
    )
    await userEvent.click(screen.getByRole("button", { name: "Confirmer l'envoi" }))
    await waitFor(() => expect(s.called("ConfirmTownAlert")).toHaveLength(2))
    expect(s.called("ConfirmTownAlert")[1]!.payload).toEqual({ previewToken: token, emailOnly: true })
  })

  it("asks for a new preview when the recipients changed", async () => {
    const s = stubServer({
      PreviewTownAlert: () => Effect.succeed(preview()),
      ConfirmTownAlert: () =>
        Effect.fail(
          new PreviewOutdated({ previewToken: token, previewed: { sms: 120, email: 340 },
            current: { sms: 121, email: 340 } })
        )
    })
    renderPage(() => <TownAlertComposer insee={insee} communities={communities} />, s, "/mairie")
    await fillDraft()
    await userEvent.click(screen.getByRole("button", { name: "Prévisualiser" }))
    await userEvent.click(await screen.findByRole("button", { name: "Confirmer l'envoi" }))
    expect(await screen.findByText(/Les destinataires ont changé depuis la prévisualisation/)).toBeTruthy()
    expect(screen.queryByRole("button", { name: "Confirmer l'envoi" })).toBeNull()
  })
})

const stats = new CommuneStatistics({
  insee,
  generatedAt: now,
  communities: [{ communityId: bourg.id, name: bourg.name, verifiedMembers: 42, pendingMembers: 3,
    alerts: { last24h: 1, last7d: 4, last30d: 9 } }],
  categories: [{ category: "burglary", alerts: { last24h: 1, last7d: 2, last30d: 5 } }],
  townAlerts: [{ alertId: AlertId.make("99999999-9999-4999-8999-999999999999"), origin: "mairie", category: "weather",
    createdAt: now, queued: 0, sent: 10, delivered: 30, failed: 1, dead: 0, withheld: 0 }]
})

describe("mairie dashboard", () => {
  it("shows the commune's live figures and the delivery progress", async () => {
    const s = stubServer({
      GetCommuneStatistics: () => Effect.succeed(stats),
      WatchCommuneStatistics: () => Stream.make(stats).pipe(Stream.concat(Stream.never))
    })
    renderPage(() => <MairieDashboard staff={{ insee, side: "mairie" }} />, s, "/mairie")
    const row = await screen.findByRole("row", { name: /Le Bourg|Bourg/ })
    expect(within(row).getByText("42")).toBeTruthy()
    expect(screen.getByRole("row", { name: /Cambriolage/ })).toBeTruthy()
    expect(screen.getByText("Envoi terminé")).toBeTruthy()
    expect(screen.getByText("Distribués : 30")).toBeTruthy()
    expect(screen.queryByText(/Retenus par la modération/)).toBeNull()
  })

  it("counts apart the messages withheld because moderation hid the alert", async () => {
    const [town] = stats.townAlerts
    const withheld = new CommuneStatistics({ ...stats, townAlerts: [{ ...town!, delivered: 12, withheld: 18 }] })
    const s = stubServer({
      GetCommuneStatistics: () => Effect.succeed(withheld),
      WatchCommuneStatistics: () => Stream.make(withheld).pipe(Stream.concat(Stream.never))
    })
    renderPage(() => <MairieDashboard staff={{ insee, side: "mairie" }} />, s, "/mairie")
    expect(await screen.findByText("Retenus par la modération : 18")).toBeTruthy()
    expect(screen.getByText("Échecs : 1")).toBeTruthy()
    expect(screen.getByText("Abandonnés : 0")).toBeTruthy()
  })
})

describe("authorities' inbox", () => {
  it("lists shared alerts and takes note of one with an internal note", async () => {
    const shared = alertView({ sharedWithAuthorities: true, text: "Porte forcée au 3 rue des Lilas" })
    const item = new SharedAlert({ alert: shared, communityName: bourg.name, acknowledgements: [], notes: [] })
    const s = stubServer({
      ListAuthoritiesInbox: () => Effect.succeed(new SharedAlertPage({ items: [item] })),
      WatchAuthoritiesInbox: () => Stream.never,
      AcknowledgeSharedAlert: () =>
        Effect.succeed(new SharedAlert({ ...item, acknowledgements: [{ role: "police", acknowledgedAt: now }] as any }))
    })
    renderPage(() => <AuthoritiesInbox staff={{ insee, side: "police" }} />, s, "/autorites")
    expect(await screen.findByText("Porte forcée au 3 rue des Lilas")).toBeTruthy()
    await userEvent.type(screen.getByLabelText("Note interne (facultative)"), "Patrouille passée à 14 h")
    await userEvent.click(screen.getByRole("button", { name: "Pris en compte" }))
    expect(await screen.findByText(/pris en compte le/)).toBeTruthy()
    expect(s.called("AcknowledgeSharedAlert")[0]!.payload).toEqual({ alertId: shared.id,
      note: Option.some("Patrouille passée à 14 h") })
  })
})

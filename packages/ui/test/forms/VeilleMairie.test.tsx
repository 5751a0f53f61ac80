import { Forbidden } from "@vigie/domain/accounts/AccountErrors"
import { VeilleCounts } from "@vigie/domain/checkin/Veille"
import { cleanup, screen, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { VeilleCountsPanel } from "../../src/features/mairie/VeilleCountsPanel.js"
import { insee } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const counts = (ccas: string | null) =>
  new VeilleCounts({ active: 12, veilleurs: 31, checkInsLast30Days: 340, escalationsLast30Days: 4,
    ccasContact: Option.fromNullable(ccas) })

describe("the mairie's veille panel", () => {
  it("shows the counts only, and enters, checks in French, then removes the CCAS contact", async () => {
    let stored: string | null = null
    const s = stubServer({
      GetVeilleCounts: () => Effect.succeed(counts(stored)),
      SetCcasContact: (p: { email: Option.Option<string> }) =>
        Effect.sync(() => {
          stored = Option.getOrNull(p.email)
          return counts(stored)
        })
    })
    renderPage(() => <VeilleCountsPanel insee={insee} />, s, "/mairie")
    const figures = await screen.findByLabelText("Chiffres de la veille bienveillante")
    const text = figures.textContent ?? ""
    const figuresOf: ReadonlyArray<readonly [string, string]> = [["Veilles actives", "12"], ["Voisins veilleurs", "31"],
      ["Prises de nouvelles (30 jours)", "340"], ["Alertes aux voisins (30 jours)", "4"]]
    for (const [label, n] of figuresOf) {
      expect(within(figures).getByText(label).nextElementSibling?.textContent).toBe(n)
    }
    expect(text).not.toMatch(/Martin|@/)
    expect(s.called("GetVeilleCounts").map((c) => c.payload)).toEqual([{ insee }])

    const field = screen.getByLabelText("E-mail du CCAS (service social de la mairie)") as HTMLInputElement
    expect(field.value).toBe("")
    await userEvent.type(field, "ccas chez la mairie")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le contact" }))
    expect(await screen.findByText(/Cette adresse e-mail n'est pas valide/)).toBeTruthy()
    expect(s.called("SetCcasContact")).toEqual([])

    await userEvent.clear(field)
    await userEvent.type(field, "CCAS@Mairie-Cadaujac.fr")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le contact" }))
    expect(await screen.findByText("Contact du CCAS enregistré : ccas@mairie-cadaujac.fr.")).toBeTruthy()
    const sent = s.called("SetCcasContact")[0]!.payload as { insee: string; email: Option.Option<string> }
    expect([sent.insee, sent.email]).toEqual([insee, Option.some("ccas@mairie-cadaujac.fr")])

    await userEvent.clear(field)
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le contact" }))
    expect(await screen.findByText(/Contact du CCAS retiré/)).toBeTruthy()
    expect((s.called("SetCcasContact")[1]!.payload as { email: Option.Option<string> }).email).toEqual(Option.none())
  })

  it("a refusal is said in French and shows no figures", async () => {
    const s = stubServer({
      GetVeilleCounts: () => Effect.fail(new Forbidden({ action: "veille_counts" }))
    })
    renderPage(() => <VeilleCountsPanel insee={insee} />, s, "/mairie")
    expect(await screen.findByText("Vous n'avez pas le droit de faire cette action.")).toBeTruthy()
    expect(screen.queryByLabelText("Chiffres de la veille bienveillante")).toBeNull()
    expect(screen.queryByRole("button", { name: "Enregistrer le contact" })).toBeNull()
    expect(s.called("SetCcasContact")).toEqual([])
  })
})

import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { defaultGazettePreferences, GazettePreferences } from "@vigie/domain/gazette/GazettePreferences"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { GazettePreferencesSection } from "../../src/features/gazette/GazettePreferencesForm.js"
import { accountId } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

describe("Gazette notification choices", () => {
  it("shows each kind with its current choice, and saves the member's changes", async () => {
    const s = stubServer({
      GetGazettePreferences: () => Effect.succeed(defaultGazettePreferences(accountId)),
      UpdateGazettePreferences: (p: any) => Effect.succeed(new GazettePreferences({ accountId, ...p }))
    })
    renderPage(() => <GazettePreferencesSection />, s, "/preferences")
    const mairie = await screen.findByRole("group", { name: "Les communications de la mairie" })
    expect((within(mairie).getByRole("radio", { name: "Un e-mail tout de suite" }) as HTMLInputElement).checked)
      .toBe(true)
    const annonces = screen.getByRole("group", { name: "Les petites annonces" })
    expect((within(annonces).getByRole("radio", { name: "Dans le résumé du lundi" }) as HTMLInputElement).checked)
      .toBe(true)

    await userEvent.click(within(annonces).getByRole("radio", { name: "Rien" }))
    await userEvent.click(
      screen.getByRole("switch", { name: "Recevoir aussi par SMS les communications de la mairie" })
    )
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer mes choix pour la Gazette" }))
    expect(await screen.findByText("Choix de la Gazette enregistrés.")).toBeTruthy()
    await waitFor(() => expect(s.called("UpdateGazettePreferences")).toHaveLength(1))
    const payload = s.called("UpdateGazettePreferences")[0]!.payload
    expect(payload.mairieSms).toBe(true)
    expect(payload.choices).toMatchObject({ annonce: "none", communication: "immediate", evenement: "weekly" })
  })
})

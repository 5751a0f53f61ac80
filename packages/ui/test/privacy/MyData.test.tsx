import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { InvalidCredentials } from "@vigie/domain/accounts/SessionErrors"
import { Effect, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { PrivacyPage } from "../../src/features/privacy/PrivacyPage.js"
import { Profile } from "../../src/features/session/Profile.js"
import { me } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

describe("Vos données", () => {
  it("says in plain French what is kept and for how long, with the retention job's periods", async () => {
    renderPage(() => <PrivacyPage />, stubServer({}), "/confidentialite")
    expect(await screen.findByRole("heading", { level: 1, name: "Vos données" })).toBeTruthy()
    const text = document.body.textContent ?? ""
    expect(text).toContain("au bout de 90 jours")
    expect(text).toContain("au bout de 60 jours")
    expect(text).toContain("pendant 23 mois")
    expect(text).toContain("pendant 24 mois")
    expect(text).toContain("« Ancien membre »")
    // Known browsers, links and codes, the SMS budget ledger.
    expect(text).toContain("après 365 jours sans connexion")
    expect(text).toContain("effacés 7 jours après leur expiration")
    expect(text).toContain("ce décompte est effacé au bout de 7 jours")
  })
})

describe("my data on the profile", () => {
  const show = (erase: (p: any) => Effect.Effect<any, any>) => {
    const s = stubServer({ WhoAmI: () => Effect.succeed(me()), EraseMyAccount: erase })
    renderPage(() => <Profile me={me()} />, s, "/profil")
    return s
  }

  it("offers the download of my data as a file", async () => {
    show(() => Effect.void)
    const link = await screen.findByRole("link", { name: "Télécharger mes données" })
    expect(link.getAttribute("href")).toBe("/compte/mes-donnees.zip")
    expect(link.hasAttribute("download")).toBe(true)
  })

  it("erases only after a confirmation step that says what will happen and asks for the password", async () => {
    let right = false
    const s = show(() => (right ? Effect.void : Effect.fail(new InvalidCredentials())))
    await userEvent.click(await screen.findByRole("button", { name: "Supprimer mon compte" }))
    expect(screen.getByText(/signées « Ancien membre »/)).toBeTruthy()
    expect(screen.getByText(/ceux en attente sont annulés/)).toBeTruthy()

    await userEvent.click(screen.getByRole("button", { name: "Supprimer définitivement mon compte" }))
    expect(await screen.findByText("Indiquez votre mot de passe.")).toBeTruthy()
    expect(s.called("EraseMyAccount")).toEqual([])

    await userEvent.type(screen.getByLabelText("Votre mot de passe, pour confirmer"), "pas le bon")
    await userEvent.click(screen.getByRole("button", { name: "Supprimer définitivement mon compte" }))
    expect(await screen.findByText("Mot de passe incorrect : votre compte n'a pas été supprimé.")).toBeTruthy()

    right = true
    await userEvent.click(screen.getByRole("button", { name: "Supprimer définitivement mon compte" }))
    await waitFor(() => expect(s.called("EraseMyAccount")).toHaveLength(2))
    expect(Redacted.value(s.called("EraseMyAccount")[1]!.payload.password)).toBe("pas le bon")
  })

  it("can be cancelled: nothing is sent", async () => {
    const s = show(() => Effect.void)
    await userEvent.click(await screen.findByRole("button", { name: "Supprimer mon compte" }))
    await userEvent.click(screen.getByRole("button", { name: "Annuler" }))
    expect(screen.queryByRole("button", { name: "Supprimer définitivement mon compte" })).toBeNull()
    expect(s.called("EraseMyAccount")).toEqual([])
  })
})

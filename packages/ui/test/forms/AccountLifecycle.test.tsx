import { Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { LinkExpired, WrongPassword, WrongResetCode } from "@vigie/domain/accounts/LifecycleErrors"
import { EmailChanged, EmailChangeRequested } from "@vigie/domain/accounts/LifecycleRpcs"
import { CommonPassword } from "@vigie/domain/accounts/PasswordErrors"
import type { Email } from "@vigie/domain/shared/Text"
import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { DateTime, Effect, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { AccountPage, ConfirmEmailPage } from "../../src/features/account/AccountPage.js"
import { ForgotPassword, ResetWithCode, ResetWithLink } from "../../src/features/account/ForgotPassword.js"
import { me } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

const anonymous = { WhoAmI: () => Effect.fail(new Unauthenticated()) }
const NEW = "une toute nouvelle phrase de passe"

afterEach(cleanup)

describe("forgotten password", () => {
  it("asks by e-mail, never saying whether the account exists", async () => {
    const s = stubServer({ ...anonymous, RequestPasswordReset: () => Effect.void })
    renderPage(() => <ForgotPassword />, s, "/mot-de-passe-oublie")
    await userEvent.click(await screen.findByRole("button", { name: "Recevoir un lien" }))
    expect(await screen.findByText("Indiquez votre adresse e-mail.")).toBeTruthy()
    expect(s.called("RequestPasswordReset")).toEqual([])

    await userEvent.type(screen.getByLabelText("Adresse e-mail du compte"), "Yvette.Perrin@example.org")
    await userEvent.click(screen.getByRole("button", { name: "Recevoir un lien" }))
    const status = await screen.findByRole("status")
    expect(status.textContent).toContain("Si un compte Vigie utilise l'adresse yvette.perrin@example.org")
    expect(s.called("RequestPasswordReset")[0]!.payload.email).toBe("yvette.perrin@example.org")
  })

  it("asks by SMS when that choice is made, with a labelled phone field", async () => {
    const s = stubServer({ ...anonymous, RequestPasswordResetCode: () => Effect.void })
    renderPage(() => <ForgotPassword />, s, "/mot-de-passe-oublie")
    await userEvent.click(await screen.findByRole("radio", { name: "Un code par SMS (téléphone vérifié)" }))
    await userEvent.type(screen.getByLabelText("Numéro de portable vérifié"), "06 12 34 56 78")
    await userEvent.click(screen.getByRole("button", { name: "Recevoir un code" }))
    await waitFor(() => expect(s.called("RequestPasswordResetCode")).toHaveLength(1))
    expect(s.called("RequestPasswordResetCode")[0]!.payload.phone).toBe("06 12 34 56 78")
  })

  it("the link's page checks both typings, says in French when the link has expired, then sets the password", async () => {
    let expired = true
    const s = stubServer({
      ...anonymous,
      CompletePasswordReset: () => (expired ? Effect.fail(new LinkExpired()) : Effect.void)
    })
    renderPage(() => <ResetWithLink />, s, "/mot-de-passe/nouveau?jeton=le-jeton")
    await userEvent.type(await screen.findByLabelText("Nouveau mot de passe"), NEW)
    await userEvent.type(screen.getByLabelText("Confirmer le nouveau mot de passe"), "autre chose")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le mot de passe" }))
    expect(await screen.findByText("Les deux mots de passe ne sont pas identiques.")).toBeTruthy()
    expect(s.called("CompletePasswordReset")).toEqual([])

    await userEvent.clear(screen.getByLabelText("Confirmer le nouveau mot de passe"))
    await userEvent.type(screen.getByLabelText("Confirmer le nouveau mot de passe"), NEW)
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le mot de passe" }))
    expect(await screen.findByText("Ce lien a expiré. Demandez-en un nouveau.")).toBeTruthy()
    expect(screen.getByRole("link", { name: "Demander un nouveau lien" })).toBeTruthy()
    const call = s.called("CompletePasswordReset")[0]!
    expect(call.payload.token).toBe("le-jeton")
    expect(Redacted.value(call.payload.password)).toBe(NEW)

    expired = false
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le mot de passe" }))
    expect((await screen.findByRole("status")).textContent).toContain("Votre mot de passe est changé.")
    expect(screen.getByRole("link", { name: "Se connecter" })).toBeTruthy()
  })

  it("the code's page shows a wrong code next to the code field", async () => {
    const s = stubServer({ ...anonymous, CompletePasswordResetByCode: () => Effect.fail(new WrongResetCode()) })
    renderPage(() => <ResetWithCode />, s, "/mot-de-passe/code?telephone=0612345678")
    expect((await screen.findByLabelText("Numéro de portable") as HTMLInputElement).value).toBe("0612345678")
    await userEvent.type(screen.getByLabelText("Code reçu par SMS"), "123 456")
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), NEW)
    await userEvent.type(screen.getByLabelText("Confirmer le nouveau mot de passe"), NEW)
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le mot de passe" }))
    expect(await screen.findByText(/Code incorrect pour ce numéro/)).toBeTruthy()
    expect(screen.getByLabelText("Code reçu par SMS").getAttribute("aria-invalid")).toBe("true")
    expect(s.called("CompletePasswordResetByCode")[0]!.payload.code).toBe("123456")
  })
})

describe("Mon compte", () => {
  const signedIn = { WhoAmI: () => Effect.succeed(me()) }

  it("changes the password after the current one, and shows a wrong current password next to its field", async () => {
    let wrong = true
    const s = stubServer({ ...signedIn,
      ChangePassword: () => (wrong ? Effect.fail(new WrongPassword()) : Effect.void) })
    renderPage(() => <AccountPage me={me()} />, s, "/mon-compte")
    await userEvent.type(await screen.findByLabelText("Mot de passe actuel"), "pas le bon")
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), NEW)
    await userEvent.type(screen.getByLabelText("Confirmer le nouveau mot de passe"), NEW)
    await userEvent.click(screen.getByRole("button", { name: "Changer le mot de passe" }))
    expect(await screen.findByText("Mot de passe actuel incorrect.")).toBeTruthy()
    expect(screen.getByLabelText("Mot de passe actuel").getAttribute("aria-invalid")).toBe("true")

    wrong = false
    await userEvent.clear(screen.getByLabelText("Mot de passe actuel"))
    await userEvent.type(screen.getByLabelText("Mot de passe actuel"), "le bon mot de passe")
    await userEvent.click(screen.getByRole("button", { name: "Changer le mot de passe" }))
    expect((await screen.findByRole("status")).textContent).toContain("Vos autres connexions")
    expect(Redacted.value(s.called("ChangePassword")[1]!.payload.currentPassword)).toBe("le bon mot de passe")
  })

  it("a common new password is shown next to the new password's field, on the change and on both resets", async () => {
    const common = "Ce mot de passe fait partie des plus courants"
    const s = stubServer({ ...signedIn, ChangePassword: () => Effect.fail(new CommonPassword()) })
    renderPage(() => <AccountPage me={me()} />, s, "/mon-compte")
    await userEvent.type(await screen.findByLabelText("Mot de passe actuel"), "le bon mot de passe")
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), "Qwerty123456")
    await userEvent.type(screen.getByLabelText("Confirmer le nouveau mot de passe"), "Qwerty123456")
    await userEvent.click(screen.getByRole("button", { name: "Changer le mot de passe" }))
    expect(await screen.findByText(new RegExp(common))).toBeTruthy()
    expect(screen.getByLabelText("Nouveau mot de passe").getAttribute("aria-invalid")).toBe("true")
    cleanup()

    const link = stubServer({ ...anonymous, CompletePasswordReset: () => Effect.fail(new CommonPassword()) })
    renderPage(() => <ResetWithLink />, link, "/mot-de-passe/nouveau?jeton=le-jeton")
    await userEvent.type(await screen.findByLabelText("Nouveau mot de passe"), "Qwerty123456")
    await userEvent.type(screen.getByLabelText("Confirmer le nouveau mot de passe"), "Qwerty123456")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le mot de passe" }))
    expect(await screen.findByText(new RegExp(common))).toBeTruthy()
    expect(screen.getByLabelText("Nouveau mot de passe").getAttribute("aria-invalid")).toBe("true")
    cleanup()

    const code = stubServer({ ...anonymous, CompletePasswordResetByCode: () => Effect.fail(new CommonPassword()) })
    renderPage(() => <ResetWithCode />, code, "/mot-de-passe/code?telephone=0612345678")
    await userEvent.type(await screen.findByLabelText("Code reçu par SMS"), "123456")
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), "Qwerty123456")
    await userEvent.type(screen.getByLabelText("Confirmer le nouveau mot de passe"), "Qwerty123456")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer le mot de passe" }))
    expect(await screen.findByText(new RegExp(common))).toBeTruthy()
    expect(screen.getByLabelText("Nouveau mot de passe").getAttribute("aria-invalid")).toBe("true")
  })

  it("asks for a new e-mail address and says the link went to it; the phone is changed by code", async () => {
    const s = stubServer({
      ...signedIn,
      RequestEmailChange: ({ newEmail }: { newEmail: Email }) =>
        Effect.succeed(new EmailChangeRequested({ newEmail, expiresAt: DateTime.unsafeMake("2026-03-03T10:00:00Z") }))
    })
    renderPage(() => <AccountPage me={me()} />, s, "/mon-compte")
    await userEvent.type(await screen.findByLabelText("Nouvelle adresse e-mail"), "Nouvelle@Example.org")
    await userEvent.type(screen.getByLabelText("Mot de passe actuel (pour confirmer)"), "le bon mot de passe")
    await userEvent.click(screen.getByRole("button", { name: "Changer d'adresse" }))
    const status = await screen.findByRole("status")
    expect(status.textContent).toContain("Un lien de confirmation a été envoyé à nouvelle@example.org")
    expect(s.called("RequestEmailChange")[0]!.payload.newEmail).toBe("nouvelle@example.org")
    expect(screen.getByRole("link", { name: /numéro/ }).getAttribute("href")).toBe("/telephone")
  })

  it("confirms the new address from the link's page", async () => {
    const s = stubServer({ ...anonymous, ConfirmEmailChange: () =>
      Effect.succeed(new EmailChanged({ email: "nouvelle@example.org" as Email })) })
    renderPage(() => <ConfirmEmailPage />, s, "/mon-compte/email?jeton=abc")
    await userEvent.click(await screen.findByRole("button", { name: "Confirmer cette adresse" }))
    expect((await screen.findByRole("status")).textContent).toContain(
      "Votre adresse e-mail est maintenant nouvelle@example.org"
    )
    expect(s.called("ConfirmEmailChange")[0]!.payload.token).toBe("abc")
  })
})

import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Account } from "@vigie/domain/accounts/Account"
import { Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { Me } from "@vigie/domain/accounts/Me"
import { CommonPassword } from "@vigie/domain/accounts/PasswordErrors"
import { RecoveryCodes, TotpEnrolment } from "@vigie/domain/accounts/SecondFactor"
import {
  AlreadyEnrolled,
  InvitationExpired,
  SecondFactorRequired,
  WrongSecondFactorCode
} from "@vigie/domain/accounts/SecondFactorErrors"
import { Effect, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { InvitationPage } from "../../src/features/session/Invitation.js"
import { LogInForm } from "../../src/features/session/LogInForm.js"
import { TwoFactorEnrolment } from "../../src/features/session/TwoFactorEnrolment.js"
import { account, insee } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

const agent = new Me({
  account: new Account({ ...account, firstName: "Sophie", lastName: "Lacoste",
    staffRoles: [{ _tag: "MairieAgent", insee }] }),
  memberships: []
})
const anonymous = { WhoAmI: () => Effect.fail(new Unauthenticated()) }
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
const recovery = Array.from({ length: 10 }, (_, i) => `AB${i}D-EFGH-JK`)

afterEach(cleanup)

describe("staff log-in: the second step", () => {
  it("asks for the app's code after the password, shows a wrong code in French, and signs in with a right one", async () => {
    let tries = 0
    const s = stubServer({
      ...anonymous,
      LogIn: () => Effect.fail(new SecondFactorRequired({ challenge: "le-defi" })),
      CompleteSignIn:
        () => (++tries === 1 ? Effect.fail(new WrongSecondFactorCode({ triesLeft: 4 })) : Effect.succeed(agent))
    })
    const page = renderPage(() => <LogInForm />, s, "/connexion")
    await userEvent.type(await screen.findByLabelText("Adresse e-mail"), "sophie.lacoste.staff@example.org")
    await userEvent.type(screen.getByLabelText("Mot de passe"), "voisins-vigilants-2026")
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }))

    expect(await screen.findByRole("heading", { name: "Code de vérification" })).toBeTruthy()
    const code = screen.getByLabelText("Code de l'application ou code de secours")
    await userEvent.click(screen.getByRole("button", { name: "Valider le code" }))
    expect(await screen.findByText(/Indiquez le code à 6 chiffres/)).toBeTruthy()
    expect(s.called("CompleteSignIn")).toEqual([])

    await userEvent.type(code, "123456")
    await userEvent.click(screen.getByRole("button", { name: "Valider le code" }))
    expect(await screen.findByText("Code incorrect, expiré ou déjà utilisé. Encore 4 essais.")).toBeTruthy()
    expect(code.getAttribute("aria-invalid")).toBe("true")
    await userEvent.clear(code)
    await userEvent.type(code, "654321")
    await userEvent.click(screen.getByRole("button", { name: "Valider le code" }))
    await waitFor(() => expect(page.history.get()).toBe("/"))
    expect(s.called("CompleteSignIn").map((c) => c.payload)).toEqual([
      { challenge: "le-defi", code: "123456" },
      { challenge: "le-defi", code: "654321" }
    ])
  })

  it("a staff member without a second factor goes to its enrolment after the password", async () => {
    const s = stubServer({ ...anonymous, LogIn: () => Effect.succeed(agent) })
    const page = renderPage(() => <LogInForm />, s, "/connexion")
    await userEvent.type(await screen.findByLabelText("Adresse e-mail"), "sophie.lacoste.staff@example.org")
    await userEvent.type(screen.getByLabelText("Mot de passe"), "voisins-vigilants-2026")
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }))
    await waitFor(() => expect(page.history.get()).toBe("/double-authentification"))
  })
})

describe("staff invitation", () => {
  it("checks both fields, shows a common password next to its field, then signs in and leads to the enrolment", async () => {
    let common = true
    const s = stubServer({
      ...anonymous,
      AcceptStaffInvitation: () => (common ? Effect.fail(new CommonPassword()) : Effect.succeed(agent))
    })
    const page = renderPage(() => <InvitationPage />, s, "/invitation#le-jeton")
    const password = await screen.findByLabelText("Mot de passe")
    await userEvent.type(password, "qwerty123456")
    await userEvent.type(screen.getByLabelText("Confirmer le mot de passe"), "qwerty12345")
    await userEvent.click(screen.getByRole("button", { name: "Choisir ce mot de passe" }))
    expect(await screen.findByText("Les deux mots de passe ne sont pas identiques.")).toBeTruthy()
    expect(s.called("AcceptStaffInvitation")).toEqual([])

    await userEvent.type(screen.getByLabelText("Confirmer le mot de passe"), "6")
    await userEvent.click(screen.getByRole("button", { name: "Choisir ce mot de passe" }))
    expect(await screen.findByText(/fait partie des plus courants/)).toBeTruthy()
    expect(password.getAttribute("aria-invalid")).toBe("true")

    common = false
    await userEvent.click(screen.getByRole("button", { name: "Choisir ce mot de passe" }))
    await waitFor(() => expect(page.history.get()).toBe("/double-authentification"))
    const calls = s.called("AcceptStaffInvitation")
    expect(calls.map((c) => c.payload.token)).toEqual(["le-jeton", "le-jeton"])
    expect(Redacted.value(calls[1]!.payload.password)).toBe("qwerty123456")
  })

  it("says when the link has expired, and when it is incomplete", async () => {
    const s = stubServer({ ...anonymous, AcceptStaffInvitation: () => Effect.fail(new InvitationExpired()) })
    renderPage(() => <InvitationPage />, s, "/invitation#vieux-jeton")
    await userEvent.type(await screen.findByLabelText("Mot de passe"), "une phrase de passe assez longue")
    await userEvent.type(screen.getByLabelText("Confirmer le mot de passe"), "une phrase de passe assez longue")
    await userEvent.click(screen.getByRole("button", { name: "Choisir ce mot de passe" }))
    expect(await screen.findByText(/Ce lien d'invitation a expiré/)).toBeTruthy()
    cleanup()
    renderPage(() => <InvitationPage />, stubServer(anonymous), "/invitation")
    expect(await screen.findByRole("heading", { name: "Invitation incomplète" })).toBeTruthy()
  })
})

describe("two-factor enrolment", () => {
  it("shows the QR code and the key, confirms a first code, then the 10 recovery codes once with a « noted » step", async () => {
    let first = true
    const s = stubServer({
      ...anonymous,
      BeginTotpEnrolment: () =>
        Effect.succeed(
          new TotpEnrolment({ secret: SECRET, uri: `otpauth://totp/Vigie:sophie?secret=${SECRET}&issuer=Vigie` })
        ),
      ConfirmTotpEnrolment: () => (first
        ? ((first = false), Effect.fail(new WrongSecondFactorCode({ triesLeft: 4 })))
        : Effect.succeed(new RecoveryCodes({ codes: recovery })))
    })
    const page = renderPage(() => <TwoFactorEnrolment />, s, "/double-authentification")
    const qr = await screen.findByRole("img", { name: "QR code à scanner avec votre application d'authentification" })
    expect(qr.querySelector("svg")).not.toBeNull()
    expect(screen.getByText("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP")).toBeTruthy()

    const code = screen.getByLabelText("Code à 6 chiffres affiché par l'application")
    await userEvent.type(code, "12ab")
    await userEvent.click(screen.getByRole("button", { name: "Activer la double authentification" }))
    expect(await screen.findByText("Saisissez le code à 6 chiffres affiché par l'application.")).toBeTruthy()
    expect(s.called("ConfirmTotpEnrolment")).toEqual([])
    await userEvent.clear(code)
    await userEvent.type(code, "123 456")
    await userEvent.click(screen.getByRole("button", { name: "Activer la double authentification" }))
    expect(await screen.findByText(/Code incorrect/)).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Activer la double authentification" }))

    const list = await screen.findByRole("list", { name: "Codes de secours" })
    expect(list.querySelectorAll("li")).toHaveLength(10)
    expect(list.textContent).toContain("AB0D-EFGH-JK")
    expect(s.called("ConfirmTotpEnrolment").map((c) => c.payload)).toEqual([{ code: "123456" }, { code: "123456" }])
    const done = screen.getByRole("button", { name: "Terminer" }) as HTMLButtonElement
    expect(done.disabled).toBe(true)
    await userEvent.click(screen.getByLabelText("Je les ai notés en lieu sûr"))
    expect(done.disabled).toBe(false)
    await userEvent.click(done)
    await waitFor(() => expect(page.history.get()).toBe("/"))
  })

  it("says so when the account has enrolled already", async () => {
    const s = stubServer({ ...anonymous, BeginTotpEnrolment: () => Effect.fail(new AlreadyEnrolled()) })
    renderPage(() => <TwoFactorEnrolment />, s, "/double-authentification")
    expect(await screen.findByText("La double authentification est déjà activée sur ce compte.")).toBeTruthy()
  })
})

import { InvalidCredentials, LoginThrottled } from "@vigie/domain/accounts/SessionErrors"
import { Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { LogInForm } from "../../src/features/session/LogInForm.js"
import { me } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

const server = (logIn: (p: any) => Effect.Effect<any, any>) =>
  stubServer({ WhoAmI: () => Effect.fail(new Unauthenticated()), LogIn: logIn })

const show = (s: ReturnType<typeof stubServer>) => renderPage(() => <LogInForm />, s, "/connexion")

afterEach(cleanup)

describe("log-in form", () => {
  it("says in French what is missing and does not call the server", async () => {
    const s = server(() => Effect.succeed(me()))
    show(s)
    await userEvent.click(await screen.findByRole("button", { name: "Se connecter" }))
    expect(await screen.findByText("Indiquez votre adresse e-mail.")).toBeTruthy()
    expect(screen.getByText("Indiquez votre mot de passe.")).toBeTruthy()
    expect(screen.getByLabelText("Adresse e-mail").getAttribute("aria-invalid")).toBe("true")
    expect(document.activeElement?.id).toBe("email")

    await userEvent.type(screen.getByLabelText("Adresse e-mail"), "yvette.perrin")
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }))
    expect(await screen.findByText(/Cette adresse e-mail n'est pas valide/)).toBeTruthy()
    expect(s.called("LogIn")).toEqual([])
  })

  it("shows wrong credentials and throttling in French above the button", async () => {
    let throttled = false
    const s = server(
      () => (throttled
        ? Effect.fail(new LoginThrottled({ retryAfterSeconds: 90 }))
        : Effect.fail(new InvalidCredentials()))
    )
    show(s)
    await userEvent.type(await screen.findByLabelText("Adresse e-mail"), "Yvette.Perrin@example.org")
    await userEvent.type(screen.getByLabelText("Mot de passe"), "pas le bon")
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }))
    expect(await screen.findByText("Adresse e-mail ou mot de passe incorrect.")).toBeTruthy()
    throttled = true
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }))
    expect(await screen.findByText("Trop d'essais de connexion. Réessayez dans 2 minutes.")).toBeTruthy()
    const calls = s.called("LogIn")
    expect(calls).toHaveLength(2)
    expect(calls[0]!.payload.email).toBe("yvette.perrin@example.org")
    expect(Redacted.value(calls[0]!.payload.password)).toBe("pas le bon")
  })

  it("logs in with valid input", async () => {
    const s = server(() => Effect.succeed(me()))
    show(s)
    await userEvent.type(await screen.findByLabelText("Adresse e-mail"), "yvette.perrin@example.org")
    await userEvent.type(screen.getByLabelText("Mot de passe"), "voisins-vigilants-2026")
    await userEvent.click(screen.getByRole("button", { name: "Se connecter" }))
    await waitFor(() => expect(s.called("LogIn")).toHaveLength(1))
    expect(screen.queryByRole("alert")).toBeNull()
  })
})

import { Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { WeakPassword } from "@vigie/domain/accounts/SessionErrors"
import { UnknownPostcode } from "@vigie/domain/communities/CommunityErrors"
import { AddressOutsideCommune } from "@vigie/domain/registration/RegistrationErrors"
import { LetterSent } from "@vigie/domain/verification/ActivationRpcs"
import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { SignUp } from "../../src/features/registration/SignUp.js"
import { bourg, cadaujac, graves, insee, me, now, postcode } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const base = {
  WhoAmI: () => Effect.fail(new Unauthenticated()),
  FindCommunes: (
    p: any
  ) => (p.postcode === "33140"
    ? Effect.succeed([cadaujac])
    : Effect.fail(new UnknownPostcode({ postcode: p.postcode }))),
  ListCommunities: () => Effect.succeed([bourg, graves])
}

const toCommunities = async () => {
  await userEvent.type(await screen.findByLabelText("Code postal de mon domicile"), "33140")
  await userEvent.click(screen.getByRole("button", { name: "Rechercher ma commune" }))
  await screen.findByRole("button", { name: "M'inscrire" })
}

const fill = async () => {
  await userEvent.click(screen.getByRole("radio", { name: "Le Bourg" }))
  await userEvent.type(screen.getByLabelText("Prénom"), "Yvette")
  await userEvent.type(screen.getByLabelText("Nom"), "Perrin")
  await userEvent.type(screen.getByLabelText("Adresse e-mail"), "yvette.perrin@example.org")
  await userEvent.type(screen.getByLabelText("Mot de passe"), "mon chat dort au soleil")
  await userEvent.type(screen.getByLabelText("Numéro et rue"), "12 rue de l'Église")
}

describe("sign-up", () => {
  it("checks the postcode in French before asking the server, then shows the server's answer at the field", async () => {
    const s = stubServer(base)
    renderPage(() => <SignUp />, s, "/inscription")
    await userEvent.click(await screen.findByRole("button", { name: "Rechercher ma commune" }))
    expect(await screen.findByText("Indiquez le code postal.")).toBeTruthy()
    await userEvent.type(screen.getByLabelText("Code postal de mon domicile"), "331")
    await userEvent.click(screen.getByRole("button", { name: "Rechercher ma commune" }))
    expect(await screen.findByText("Le code postal compte 5 chiffres.")).toBeTruthy()
    expect(s.called("FindCommunes")).toEqual([])

    await userEvent.clear(screen.getByLabelText("Code postal de mon domicile"))
    await userEvent.type(screen.getByLabelText("Code postal de mon domicile"), "99999")
    await userEvent.click(screen.getByRole("button", { name: "Rechercher ma commune" }))
    await waitFor(() =>
      expect(document.getElementById("postcode-search-error")?.textContent).toBe(
        "Aucune commune française n'a le code postal 99999."
      )
    )
  })

  it("lists the communities with their map, and names every missing field in French without registering", async () => {
    const s = stubServer({ ...base, Register: () => Effect.void })
    renderPage(() => <SignUp />, s, "/inscription")
    await toCommunities()
    expect(screen.getByRole("img", { name: "Plan des quartiers : Le Bourg, Les Graves" })).toBeTruthy()
    expect((screen.getByLabelText("Code postal") as HTMLInputElement).value).toBe("33140")
    expect((screen.getByLabelText("Commune") as HTMLInputElement).value).toBe("Cadaujac")

    await userEvent.type(screen.getByLabelText("Mot de passe"), "court")
    await userEvent.type(screen.getByLabelText("Téléphone portable (facultatif)"), "abc")
    await userEvent.click(screen.getByRole("button", { name: "M'inscrire" }))
    for (
      const message of [
        "Choisissez votre quartier dans la liste.",
        "Indiquez votre prénom.",
        "Indiquez votre nom.",
        "Indiquez votre adresse e-mail.",
        "Ce numéro n'est pas valide (exemple : 06 12 34 56 78).",
        "Mot de passe trop faible : au moins 12 caractères variés (ou une phrase de passe).",
        "Indiquez votre adresse (numéro et rue)."
      ]
    ) expect(await screen.findByText(message)).toBeTruthy()
    expect(s.called("Register")).toEqual([])
  })

  it("puts the server's refusals next to the password and postcode fields", async () => {
    let answer: Effect.Effect<void, any> = Effect.fail(new WeakPassword({ minLength: 12, estimatedBits: 40 }))
    const s = stubServer({ ...base, Register: () => answer })
    renderPage(() => <SignUp />, s, "/inscription")
    await toCommunities()
    await fill()
    await userEvent.click(screen.getByRole("button", { name: "M'inscrire" }))
    await waitFor(() =>
      expect(document.getElementById("password-error")?.textContent).toMatch(/^Mot de passe trop faible/)
    )
    expect(document.activeElement?.id).toBe("password")

    answer = Effect.fail(new AddressOutsideCommune({ postcode, insee }))
    await userEvent.click(screen.getByRole("button", { name: "M'inscrire" }))
    await waitFor(() =>
      expect(document.getElementById("postcode-error")?.textContent).toBe(
        "Le code postal 33140 ne correspond pas à la commune de cette communauté."
      )
    )
    expect(s.called("Register")).toHaveLength(2)
  })

  it("registers, logs in and asks for the activation letter", async () => {
    const s = stubServer({
      ...base,
      Register: () => Effect.void,
      LogIn: () => Effect.succeed(me("pending_verification")),
      RequestActivationLetter: (p: any) =>
        Effect.succeed(new LetterSent({ membershipId: p.membershipId, expiresAt: now }))
    })
    renderPage(() => <SignUp />, s, "/inscription")
    await toCommunities()
    await fill()
    await userEvent.click(screen.getByRole("button", { name: "M'inscrire" }))
    await waitFor(() => expect(s.called("RequestActivationLetter")).toHaveLength(1))
    const register = s.called("Register")[0]!.payload
    expect(register.communityId).toBe(bourg.id)
    expect(register.email).toBe("yvette.perrin@example.org")
    expect(register.phone).toEqual(Option.none())
    expect(Redacted.value(register.password)).toBe("mon chat dort au soleil")
    expect(register.address.postcode).toBe("33140")
    expect(s.called("LogIn")).toHaveLength(1)
  })
})

import { Account } from "@vigie/domain/accounts/Account"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { InvalidPhoneNumber } from "@vigie/domain/channels/PhoneErrors"
import { PhoneCodeSent } from "@vigie/domain/verification/PhoneRpcs"
import { CodeExpired, WrongCode } from "@vigie/domain/channels/CodeErrors"
import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ActivatePage } from "../../src/features/verification/Activate.js"
import { PhoneCheckPage } from "../../src/features/verification/PhoneCheck.js"
import { account, bourg, me, membership, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

describe("activation code form", () => {
  it("explains the code's form in French and does not send a malformed one", async () => {
    const s = stubServer({ WhoAmI: () => Effect.succeed(me("pending_verification")) })
    renderPage(() => <ActivatePage />, s, "/activer")
    await userEvent.click(await screen.findByRole("button", { name: "Activer mon adresse" }))
    expect(await screen.findByText("Indiquez le code reçu par courrier.")).toBeTruthy()
    await userEvent.type(screen.getByLabelText("Code d'activation"), "ABC-12")
    expect(screen.getByText("Le code compte 10 caractères (lettres et chiffres), comme sur la lettre.")).toBeTruthy()
    expect(s.called("ConfirmActivationCode")).toEqual([])
  })

  it("shows a wrong or expired code under the field, then the success", async () => {
    let answer: Effect.Effect<any, any> = Effect.fail(new WrongCode({ remainingAttempts: 2 }))
    const s = stubServer({ WhoAmI: () => Effect.succeed(me("pending_verification")), ConfirmActivationCode: () =>
      answer })
    renderPage(() => <ActivatePage />, s, "/activer")
    await userEvent.type(await screen.findByLabelText("Code d'activation"), "7k3m-9qx2-ta")
    await userEvent.click(screen.getByRole("button", { name: "Activer mon adresse" }))
    await waitFor(() =>
      expect(document.getElementById("code-error")?.textContent).toBe(
        "Code incorrect. Encore 2 essais avant le blocage du code."
      )
    )
    answer = Effect.fail(new CodeExpired())
    await userEvent.click(screen.getByRole("button", { name: "Activer mon adresse" }))
    await waitFor(() =>
      expect(document.getElementById("code-error")?.textContent).toBe("Ce code a expiré. Demandez un nouveau code.")
    )
    answer = Effect.succeed(membership(bourg, "verified"))
    await userEvent.click(screen.getByRole("button", { name: "Activer mon adresse" }))
    expect(await screen.findByText("C'est fait : votre adresse est activée.")).toBeTruthy()
    expect(s.called("ConfirmActivationCode")[0]!.payload.code).toBe("7k3m-9qx2-ta")
  })
})

describe("phone code form", () => {
  it("validates the number and the 6-digit code in French, and shows the server's refusal at the number", async () => {
    let phoneAnswer: Effect.Effect<any, any> = Effect.fail(new InvalidPhoneNumber())
    const s = stubServer({
      WhoAmI: () => Effect.succeed(me()),
      RequestPhoneCode: () => phoneAnswer,
      ConfirmPhoneCode: () => Effect.succeed(new Account({ ...account, phoneVerified: true }))
    })
    renderPage(() => <PhoneCheckPage />, s, "/telephone")
    const field = await screen.findByLabelText("Mon numéro de portable")
    await userEvent.clear(field)
    await userEvent.click(screen.getByRole("button", { name: "Recevoir le code" }))
    expect(await screen.findByText("Indiquez votre numéro de portable.")).toBeTruthy()
    expect(s.called("RequestPhoneCode")).toEqual([])

    await userEvent.type(field, "01 23 45 67 89")
    await userEvent.click(screen.getByRole("button", { name: "Recevoir le code" }))
    await waitFor(() =>
      expect(document.getElementById("phone-error")?.textContent).toMatch(/^Ce numéro ne peut pas recevoir de SMS/)
    )

    phoneAnswer = Effect.succeed(new PhoneCodeSent({ phone: PhoneE164.make("+33612345678"), expiresAt: now }))
    await userEvent.clear(field)
    await userEvent.type(field, "06 12 34 56 78")
    await userEvent.click(screen.getByRole("button", { name: "Recevoir le code" }))
    expect(await screen.findByText("Code envoyé au +33612345678.")).toBeTruthy()
    await userEvent.type(screen.getByLabelText("Code reçu par SMS"), "12a")
    await userEvent.click(screen.getByRole("button", { name: "Vérifier" }))
    expect(await screen.findByText("Le code compte 6 chiffres.")).toBeTruthy()
    expect(s.called("ConfirmPhoneCode")).toEqual([])
    await userEvent.clear(screen.getByLabelText("Code reçu par SMS"))
    await userEvent.type(screen.getByLabelText("Code reçu par SMS"), "123 456")
    await userEvent.click(screen.getByRole("button", { name: "Vérifier" }))
    expect(await screen.findByText("Votre numéro est vérifié.")).toBeTruthy()
    expect(s.called("ConfirmPhoneCode")[0]!.payload).toEqual({ code: "123456" })
  })
})

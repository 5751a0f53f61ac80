import { describe, expect, it } from "@effect/vitest"
import { addressAlreadyUsedEmail } from "@vigie/domain/registration/RegistrationTexts"

describe("RegistrationTexts", () => {
  it("tells the owner of a known address what happened, in the shared layout, with no link to follow", () => {
    const mail = addressAlreadyUsedEmail()
    expect(mail.subject).toBe("Vigie : tentative d'inscription avec votre adresse")
    expect(mail.text).toBe([
      "Quelqu'un a essayé de créer un compte Vigie avec votre adresse e-mail, qui a déjà un compte.",
      "Si c'était vous, connectez-vous ou demandez un nouveau mot de passe. Sinon, vous pouvez ignorer ce message."
    ].join("\n\n"))
    expect(mail.html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/)
    expect(mail.html).toContain("<h1 style=\"font-size:22px\">Votre adresse a déjà un compte</h1>")
    expect(mail.html).toContain("<p>Si c&#39;était vous, connectez-vous ou demandez un nouveau mot de passe.")
    expect(mail.html).not.toContain("<a ")
    expect(mail.text).not.toContain("http")
    expect(mail.text).not.toContain("Gérer vos notifications")
  })
})

import { Account } from "@vigie/domain/accounts/Account"
import { PhoneAlreadyUsed, Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { Me, MyMembership } from "@vigie/domain/accounts/Me"
import { WrongCode } from "@vigie/domain/channels/CodeErrors"
import { Membership, MembershipId } from "@vigie/domain/membership/Membership"
import { AccountClaimRequested, PaperNeighbourRegistered } from "@vigie/domain/registration/PaperRegistration"
import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ClaimAccountPage, PaperNeighbourPage } from "../../src/features/registration/PaperNeighbour.js"
import { LogInForm } from "../../src/features/session/LogInForm.js"
import { account, accountId, bourg, graves, insee, me, membership } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const referent = new Me({
  account,
  memberships: [
    new MyMembership({
      membership: new Membership({ ...membership(bourg, "verified"), role: "referent" }),
      community: bourg
    })
  ]
})

const agent = new Me({
  account: new Account({ ...account, staffRoles: [{ _tag: "MairieAgent", insee }] }),
  memberships: []
})

const registered = (phoneKind: "mobile" | "landline") =>
  new PaperNeighbourRegistered({
    accountId,
    membershipId: MembershipId.make("55555555-5555-4555-8555-555555555555"),
    communityId: bourg.id,
    phoneKind,
    smsAlerts: phoneKind === "mobile"
  })

const fill = async (phone: string) => {
  await userEvent.type(screen.getByLabelText("Prénom"), "Germaine")
  await userEvent.type(screen.getByLabelText("Nom"), "Lafeuille")
  await userEvent.type(screen.getByLabelText("Numéro et rue"), "3 chemin des Vignes")
  await userEvent.type(screen.getByLabelText("Code postal"), "33140")
  await userEvent.type(screen.getByLabelText("Commune"), "Cadaujac")
  await userEvent.type(screen.getByLabelText("Téléphone du voisin (portable ou fixe)"), phone)
}

describe("registering a neighbour without internet", () => {
  it("the référent's form: says what the neighbour receives, requires the consent, shows the server's refusal at the phone, then the success", async () => {
    let answer: Effect.Effect<any, any> = Effect.fail(new PhoneAlreadyUsed())
    const s = stubServer({ WhoAmI: () => Effect.succeed(referent), RegisterPaperNeighbour: () => answer })
    renderPage(() => <PaperNeighbourPage me={referent} />, s, "/voisins-sans-internet")
    expect(await screen.findByRole("heading", { name: "Inscrire un voisin sans internet" })).toBeTruthy()
    expect(screen.getByText(/un fixe ne reçoit pas de SMS/)).toBeTruthy()
    expect(screen.getByText("Le Bourg")).toBeTruthy()

    await userEvent.click(screen.getByRole("button", { name: "Inscrire ce voisin" }))
    expect(await screen.findByText("Indiquez le prénom du voisin.")).toBeTruthy()
    expect(screen.getByText("Cochez la case : sans l'accord écrit du voisin, rien n'est enregistré.")).toBeTruthy()
    expect(s.called("RegisterPaperNeighbour")).toEqual([])

    await fill("06 39 98 00 42")
    await userEvent.click(screen.getByRole("button", { name: "Inscrire ce voisin" }))
    expect(document.activeElement?.id).toBe("consent")
    expect(s.called("RegisterPaperNeighbour")).toEqual([])

    await userEvent.click(screen.getByRole("checkbox", { name: /son accord pour recevoir les alertes/ }))
    await userEvent.click(screen.getByRole("button", { name: "Inscrire ce voisin" }))
    await waitFor(() =>
      expect(document.getElementById("phone-error")?.textContent).toBe(
        "Ce numéro de téléphone est déjà utilisé par un autre compte."
      )
    )
    answer = Effect.succeed(registered("mobile"))
    await userEvent.click(screen.getByRole("button", { name: "Inscrire ce voisin" }))
    expect(await screen.findByText("Germaine Lafeuille est inscrit(e) et vérifié(e).")).toBeTruthy()
    expect(screen.getByText("Les alertes du quartier lui arriveront par SMS.")).toBeTruthy()
    const sent = s.called("RegisterPaperNeighbour")[1]!.payload
    expect({ communityId: sent.communityId, firstName: sent.firstName, phone: sent.phone, consent: sent.consent,
      postcode: sent.address.postcode }).toEqual({ communityId: bourg.id, firstName: "Germaine",
        phone: "06 39 98 00 42", consent: true, postcode: "33140" })
  })

  it("the mairie agent chooses among the commune's quartiers; a landline is told it receives nothing automatically", async () => {
    const s = stubServer({
      WhoAmI: () => Effect.succeed(agent),
      ListCommunities: () => Effect.succeed([bourg, graves]),
      RegisterPaperNeighbour: () => Effect.succeed(registered("landline"))
    })
    renderPage(() => <PaperNeighbourPage me={agent} />, s, "/voisins-sans-internet")
    const select = await screen.findByLabelText("Quartier du voisin")
    await userEvent.selectOptions(select, graves.id)
    await fill("05 56 12 34 56")
    await userEvent.click(screen.getByRole("checkbox", { name: /son accord pour recevoir les alertes/ }))
    await userEvent.click(screen.getByRole("button", { name: "Inscrire ce voisin" }))
    expect(await screen.findByText(/Son numéro est un fixe : il ne recevra pas les alertes automatiquement/))
      .toBeTruthy()
    expect(s.called("ListCommunities")[0]!.payload).toEqual({ insee })
    expect(s.called("RegisterPaperNeighbour")[0]!.payload.communityId).toBe(graves.id)
  })

  it("« Appel vocal pour les alertes urgentes »: ticked by default for a landline, not for a mobile, the référent's choice kept and sent", async () => {
    const s = stubServer({
      WhoAmI: () => Effect.succeed(referent),
      RegisterPaperNeighbour: () =>
        Effect.succeed(new PaperNeighbourRegistered({ ...registered("landline"), voiceAlerts: true }))
    })
    renderPage(() => <PaperNeighbourPage me={referent} />, s, "/voisins-sans-internet")
    const voice = await screen.findByRole("checkbox", { name: "Appel vocal pour les alertes urgentes" })
    expect(voice.getAttribute("aria-describedby")).toBe("voiceUrgent-hint")
    expect(document.getElementById("voiceUrgent-hint")?.textContent).toMatch(/Cochée d'office pour un fixe/)
    expect((voice as HTMLInputElement).checked).toBe(false)
    await fill("06 39 98 00 42")
    expect((voice as HTMLInputElement).checked).toBe(false)
    const phone = screen.getByLabelText("Téléphone du voisin (portable ou fixe)")
    await userEvent.clear(phone)
    await userEvent.type(phone, "+33 5 56 12 34 56")
    expect((voice as HTMLInputElement).checked).toBe(true)
    // Keyboard: the space bar unticks it, and the choice stays whatever the number.
    voice.focus()
    await userEvent.keyboard(" ")
    expect((voice as HTMLInputElement).checked).toBe(false)
    await userEvent.clear(phone)
    await userEvent.type(phone, "05 56 12 34 57")
    expect((voice as HTMLInputElement).checked).toBe(false)
    await userEvent.click(voice)
    await userEvent.click(screen.getByRole("checkbox", { name: /son accord pour recevoir les alertes/ }))
    await userEvent.click(screen.getByRole("button", { name: "Inscrire ce voisin" }))
    expect(await screen.findByText(/les alertes urgentes lui arriveront par appel vocal, les autres non/)).toBeTruthy()
    const sent = s.called("RegisterPaperNeighbour")[0]!.payload
    expect({ phone: sent.phone, voiceUrgent: sent.voiceUrgent }).toEqual({ phone: "05 56 12 34 57", voiceUrgent: true })
  })

  it("a resident who is no référent and no agent is told the page is reserved", async () => {
    const resident = me()
    const s = stubServer({ WhoAmI: () => Effect.succeed(resident) })
    renderPage(() => <PaperNeighbourPage me={resident} />, s, "/voisins-sans-internet")
    expect(await screen.findByText(/réservée aux référents d'un quartier et aux agents de la mairie/)).toBeTruthy()
  })
})

describe("claiming the account of a paper registration", () => {
  it("is linked from the log-in page", async () => {
    const s = stubServer({ WhoAmI: () => Effect.fail(new Unauthenticated()) })
    renderPage(() => <LogInForm />, s, "/connexion")
    expect((await screen.findByRole("link", { name: "J'ai été inscrit(e) sur papier" })).getAttribute("href"))
      .toBe("/inscrit-sur-papier")
  })

  it("asks the phone, then the SMS code with an e-mail and a password; a wrong code is shown at the code; then signed in", async () => {
    let answer: Effect.Effect<any, any> = Effect.fail(new WrongCode({ remainingAttempts: 4 }))
    const claimed = new Me({ ...me(), account: new Account({ ...account, phoneVerified: true }) })
    const s = stubServer({
      WhoAmI: () => Effect.fail(new Unauthenticated()),
      RequestAccountClaim: () => Effect.succeed(new AccountClaimRequested({ channel: "sms", validMinutes: 10 })),
      ClaimAccount: () => answer
    })
    const { history } = renderPage(() => <ClaimAccountPage />, s, "/inscrit-sur-papier")
    await userEvent.click(await screen.findByRole("button", { name: "Recevoir le code par SMS" }))
    expect(await screen.findByText("Indiquez votre numéro de portable.")).toBeTruthy()
    expect(s.called("RequestAccountClaim")).toEqual([])
    await userEvent.type(screen.getByLabelText("Le numéro de portable donné sur le formulaire"), "06 39 98 00 42")
    await userEvent.click(screen.getByRole("button", { name: "Recevoir le code par SMS" }))
    expect(await screen.findByText(/un code vient de partir par SMS vers le 06 39 98 00 42/)).toBeTruthy()

    await userEvent.type(screen.getByLabelText("Code reçu par SMS"), "123 456")
    await userEvent.type(screen.getByLabelText("Mon adresse e-mail"), "germaine@example.org")
    await userEvent.type(screen.getByLabelText("Mon mot de passe"), "une phrase de passe assez longue")
    await userEvent.click(screen.getByRole("button", { name: "Créer mon accès" }))
    await waitFor(() =>
      expect(document.getElementById("code-error")?.textContent).toBe(
        "Code incorrect. Encore 4 essais avant le blocage du code."
      )
    )
    answer = Effect.succeed(claimed)
    await userEvent.click(screen.getByRole("button", { name: "Créer mon accès" }))
    await waitFor(() => expect(history.get()).toBe("/"))
    const payload = s.called("ClaimAccount")[1]!.payload
    expect({ phone: payload.phone, code: payload.code, email: payload.email }).toEqual({
      phone: "06 39 98 00 42",
      code: "123456",
      email: "germaine@example.org"
    })
  })

  it("a landline neighbour asks for the code by letter, then, letter in hand, types its code and is signed in", async () => {
    const claimed = new Me({ ...me(), account: new Account({ ...account }) })
    const s = stubServer({
      WhoAmI: () => Effect.fail(new Unauthenticated()),
      RequestAccountClaim: () => Effect.succeed(new AccountClaimRequested({ channel: "letter", validMinutes: 43_200 })),
      ClaimAccount: () => Effect.succeed(claimed)
    })
    const { history } = renderPage(() => <ClaimAccountPage />, s, "/inscrit-sur-papier")
    await userEvent.click(
      await screen.findByRole("radio", { name: "Recevoir le code par courrier (si vous n'avez qu'un téléphone fixe)" })
    )
    await userEvent.type(
      screen.getByLabelText("Le numéro de téléphone (fixe ou portable) donné sur le formulaire"),
      "05 56 12 34 56"
    )
    await userEvent.click(screen.getByRole("button", { name: "Recevoir le code par courrier" }))
    expect(await screen.findByText(/un courrier avec votre code part à l'adresse inscrite/)).toBeTruthy()
    expect(screen.getByRole("status").textContent).toContain("valable 30 jours")
    expect(s.called("RequestAccountClaim")[0]!.payload).toEqual({ phone: "05 56 12 34 56", by: "letter" })

    // Days later: back on the page, straight to the code with the letter in hand.
    await userEvent.click(screen.getByRole("button", { name: "Recevoir un nouveau code" }))
    await userEvent.click(
      await screen.findByRole("radio", { name: "Recevoir le code par courrier (si vous n'avez qu'un téléphone fixe)" })
    )
    await userEvent.click(screen.getByRole("button", { name: "J'ai déjà reçu mon code par courrier" }))
    expect(await screen.findByText(/Saisissez le code imprimé sur le courrier reçu pour le 05 56 12 34 56/))
      .toBeTruthy()
    expect(s.called("RequestAccountClaim")).toHaveLength(1)
    const code = screen.getByLabelText("Code reçu par courrier")
    await userEvent.type(code, "123456")
    await userEvent.type(screen.getByLabelText("Mon adresse e-mail"), "germaine@example.org")
    await userEvent.type(screen.getByLabelText("Mon mot de passe"), "une phrase de passe assez longue")
    await userEvent.click(screen.getByRole("button", { name: "Créer mon accès" }))
    await waitFor(() =>
      expect(document.getElementById("code-error")?.textContent).toBe(
        "Le code compte 10 caractères (lettres et chiffres), comme sur la lettre."
      )
    )
    expect(s.called("ClaimAccount")).toEqual([])
    await userEvent.clear(code)
    await userEvent.type(code, "7k3m-9qx2-ta")
    await userEvent.click(screen.getByRole("button", { name: "Créer mon accès" }))
    await waitFor(() => expect(history.get()).toBe("/"))
    const payload = s.called("ClaimAccount")[0]!.payload
    expect({ phone: payload.phone, code: payload.code }).toEqual({ phone: "05 56 12 34 56", code: "7k3m-9qx2-ta" })
  })
})

import { Account, AccountId, type StaffRole } from "@vigie/domain/accounts/Account"
import { LastAdminRole } from "@vigie/domain/administration/VigilantCommune"
import {
  CommuneChoice,
  CommuneNotVigilant,
  PoliceContact,
  StaffRoleHolder,
  VigilantCommune,
  VigilantCommuneFigures
} from "@vigie/domain/administration/VigilantCommune"
import { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import { Me } from "@vigie/domain/accounts/Me"
import { cleanup, render, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Option } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { App } from "../../src/App.js"
import { AdminPage } from "../../src/features/administration/AdminPage.js"
import { PoliceContactForm } from "../../src/features/mairie/PoliceContactForm.js"
import { account, insee, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const villenave = InseeCode.make("33550")
const agentId = AccountId.make("44444444-4444-4444-8444-444444444444")
const adminId = AccountId.make("55555555-5555-4555-8555-555555555555")

const cadaujacFigures = new VigilantCommuneFigures({ insee, name: "Cadaujac", activatedAt: now, quartiers: 2,
  verifiedMembers: 41, alertsLast30Days: 7 })
const villenaveChoice = new CommuneChoice({ insee: villenave, name: "Villenave-d'Ornon",
  postcodes: [Postcode.make("33140")], population: 36000, vigilant: false })
const agent = new StaffRoleHolder({ accountId: agentId, firstName: "Inès", lastName: "Durand",
  email: Option.some("ines.durand@example.org"), role: { _tag: "MairieAgent", insee }, grantedAt: now })
const admin = new StaffRoleHolder({ accountId: adminId, firstName: "Alain", lastName: "Admin", email: Option.none(),
  role: { _tag: "Admin" }, grantedAt: now })

const server = (overrides: Record<string, (payload: any) => any> = {}) =>
  stubServer({
    ListVigilantCommunes: () => Effect.succeed([cadaujacFigures]),
    ListStaffRoles: () => Effect.succeed([admin, agent]),
    ListProposals: () => Effect.succeed([]),
    ...overrides
  })

describe("the admin page", () => {
  it("shows every vigilant commune's figures in a table", async () => {
    renderPage(() => <AdminPage />, server(), "/admin")
    const table = await screen.findByRole("table", { name: /Quartiers ouverts, voisins vérifiés/ })
    const row = within(table).getByRole("row", { name: /Cadaujac/ })
    expect(within(row).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      expect.any(String),
      "2",
      "41",
      "7",
      "Quartiers · Page publique"
    ])
    // Each commune leads to its quartiers (in the app) and to its public page (served by the server).
    expect(within(row).getByRole("link", { name: "Quartiers de Cadaujac" }).getAttribute("href"))
      .toBe("/communes/33080/quartiers")
    expect(within(row).getByRole("link", { name: "Page publique de Cadaujac" }).getAttribute("href"))
      .toBe("/commune/33080")
  })

  it("searches the official list and activates a commune, saying so to screen readers", async () => {
    const s = server({
      SearchOfficialCommunes: () => Effect.succeed([villenaveChoice]),
      ActivateVigilantCommune: () =>
        Effect.succeed(
          new VigilantCommune({ insee: villenave, name: "Villenave-d'Ornon", activatedAt: now,
            policeContact: new PoliceContact({ phone: Option.none(), details: Option.none() }) })
        )
    })
    renderPage(() => <AdminPage />, s, "/admin")
    await userEvent.click(screen.getByRole("button", { name: "Chercher" }))
    expect(await screen.findByText(/Tapez au moins deux lettres/)).toBeTruthy()
    expect(s.called("SearchOfficialCommunes")).toEqual([])
    await userEvent.type(screen.getByLabelText("Commune : nom, code postal ou code INSEE"), "villenave")
    await userEvent.click(screen.getByRole("button", { name: "Chercher" }))
    expect(await screen.findByText("1 commune trouvée.")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Rendre Villenave-d'Ornon (33550) Mairie Vigilante" }))
    expect(await screen.findByText("Villenave-d'Ornon est maintenant une Mairie Vigilante.")).toBeTruthy()
    expect(s.called("ActivateVigilantCommune").map((c) => c.payload)).toEqual([{ insee: "33550" }])
    const found = within(screen.getByRole("list", { name: "Communes trouvées" }))
    expect(found.getByText("Mairie Vigilante")).toBeTruthy()
    expect(found.getByRole("link", { name: "Dessiner les quartiers de Villenave-d'Ornon" }).getAttribute("href"))
      .toBe("/communes/33550/quartiers")
    await waitFor(() => expect(s.called("ListVigilantCommunes").length).toBe(2))
  })

  it("invites an agent: every field checked in French first, then the server's refusal shown", async () => {
    const s = server({
      InviteCommuneStaff: () => Effect.fail(new CommuneNotVigilant({ insee }))
    })
    renderPage(() => <AdminPage />, s, "/admin")
    await within(screen.getByLabelText("Commune (Mairie Vigilante)")).findByRole("option", { name: "Cadaujac (33080)" })
    await userEvent.click(screen.getByRole("button", { name: "Envoyer l'invitation" }))
    expect(await screen.findByText("Indiquez la commune.")).toBeTruthy()
    expect(screen.getByText("Choisissez le rôle : mairie ou police municipale.")).toBeTruthy()
    expect(screen.getByText("Indiquez le prénom.")).toBeTruthy()
    expect(s.called("InviteCommuneStaff")).toEqual([])
    await userEvent.selectOptions(screen.getByLabelText("Commune (Mairie Vigilante)"), "33080")
    await userEvent.click(screen.getByRole("radio", { name: "Police municipale" }))
    await userEvent.type(screen.getByLabelText("Prénom"), "Paul")
    await userEvent.type(screen.getByLabelText("Nom"), "Lefort")
    await userEvent.type(screen.getByLabelText(/Adresse e-mail/), "Paul.Lefort@example.org")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer l'invitation" }))
    expect(await screen.findByText(/n'est pas une Mairie Vigilante/)).toBeTruthy()
    expect(s.called("InviteCommuneStaff").map((c) => c.payload)).toEqual([{ insee: "33080", role: "police",
      firstName: "Paul", lastName: "Lefort", email: "paul.lefort@example.org" }])
  })

  it("confirms the invitation sent, valid 7 days", async () => {
    const s = server({
      InviteCommuneStaff: () =>
        Effect.succeed({ accountId: agentId, created: true, roleGranted: true, invitationSent: true })
    })
    renderPage(() => <AdminPage />, s, "/admin")
    await within(screen.getByLabelText("Commune (Mairie Vigilante)")).findByRole("option", { name: "Cadaujac (33080)" })
    await userEvent.selectOptions(screen.getByLabelText("Commune (Mairie Vigilante)"), "33080")
    await userEvent.click(screen.getByRole("radio", { name: "Agent de la mairie" }))
    await userEvent.type(screen.getByLabelText("Prénom"), "Inès")
    await userEvent.type(screen.getByLabelText("Nom"), "Durand")
    await userEvent.type(screen.getByLabelText(/Adresse e-mail/), "ines.durand@example.org")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer l'invitation" }))
    expect(await screen.findByText("Invitation envoyée à Inès Durand : le lien est valable 7 jours.")).toBeTruthy()
    // The form is ready for the next agent: emptied, without "missing field" messages.
    expect((screen.getByLabelText("Prénom") as HTMLInputElement).value).toBe("")
    expect(screen.queryByText("Indiquez le prénom.")).toBeNull()
    expect((screen.getByLabelText("Commune (Mairie Vigilante)") as HTMLSelectElement).value).toBe("33080")
    // The staff list is read again.
    await waitFor(() => expect(s.called("ListStaffRoles").length).toBe(2))
  })

  it("revokes a role only after a confirmation, and explains the last admin's refusal", async () => {
    const s = server({
      RevokeStaffRole: (payload: { role: { _tag: string } }) =>
        payload.role._tag === "Admin" ? Effect.fail(new LastAdminRole({ accountId: adminId })) : Effect.void
    })
    renderPage(() => <AdminPage />, s, "/admin")
    await userEvent.click(
      await screen.findByRole("button", { name: "Retirer le rôle Agent de la mairie (33080) à Inès Durand" })
    )
    expect(s.called("RevokeStaffRole")).toEqual([])
    await userEvent.click(screen.getByRole("button", { name: "Confirmer le retrait" }))
    expect(await screen.findByText("Rôle « Agent de la mairie (33080) » retiré à Inès Durand.")).toBeTruthy()
    expect(s.called("RevokeStaffRole").map((c) => c.payload)).toEqual([{ accountId: agentId,
      role: { _tag: "MairieAgent", insee: "33080" } }])

    await userEvent.click(screen.getByRole("button", { name: "Retirer le rôle Administrateur à Alain Admin" }))
    await userEvent.click(screen.getByRole("button", { name: "Confirmer le retrait" }))
    expect(await screen.findByText(/dernier compte administrateur/)).toBeTruthy()
  })
})

describe("the police contact form of the mairie dashboard", () => {
  it("shows the current contact and saves the new one", async () => {
    const s = stubServer({
      GetPoliceContact: () =>
        Effect.succeed(new PoliceContact({ phone: Option.some("05 56 30 94 50"), details: Option.none() })),
      SetPoliceContact: (payload: { contact: PoliceContact }) => Effect.succeed(payload.contact)
    })
    renderPage(() => <PoliceContactForm insee={insee} />, s, "/mairie")
    const phone = screen.getByLabelText("Téléphone de la police municipale") as HTMLInputElement
    await waitFor(() => expect(phone.value).toBe("05 56 30 94 50"))
    await userEvent.clear(phone)
    await userEvent.type(phone, "pas un numéro")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }))
    expect(await screen.findByText(/Ce numéro n'est pas valide/)).toBeTruthy()
    expect(s.called("SetPoliceContact")).toEqual([])
    await userEvent.clear(phone)
    await userEvent.type(phone, "05 56 30 94 51")
    await userEvent.type(screen.getByLabelText("Adresse et horaires"), "Place de la Mairie, 8 h – 18 h")
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer" }))
    expect(await screen.findByText(/Coordonnées enregistrées/)).toBeTruthy()
    const sent = s.called("SetPoliceContact")[0]!.payload as { insee: string; contact: PoliceContact }
    expect(sent.insee).toBe("33080")
    expect(sent.contact.phone).toEqual(Option.some("05 56 30 94 51"))
    expect(sent.contact.details).toEqual(Option.some("Place de la Mairie, 8 h – 18 h"))
  })
})

describe("the admin page in the app", () => {
  const meWith = (staffRoles: ReadonlyArray<StaffRole>) =>
    new Me({ account: new Account({ ...account, staffRoles }), memberships: [] })

  it("is in the navigation of admins only, and reserved to them", async () => {
    // No dev inbox here (the footer asks the server for it).
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 404 }))
    window.history.pushState({}, "", "/admin")
    const s = server({ WhoAmI: () => Effect.succeed(meWith([{ _tag: "Admin" }])) })
    render(() => <App runtime={s.runtime} />)
    expect(await screen.findByRole("heading", { name: "Administration de Vigie" })).toBeTruthy()
    const nav = screen.getByRole("navigation", { name: "Navigation principale" })
    expect(within(nav).getByRole("link", { name: "Administration" }).getAttribute("href")).toBe("/admin")
    cleanup()

    window.history.pushState({}, "", "/admin")
    const m = stubServer({ WhoAmI: () => Effect.succeed(meWith([{ _tag: "Moderator" }])) })
    render(() => <App runtime={m.runtime} />)
    expect(await screen.findByText("Cette page est réservée aux administrateurs de Vigie.")).toBeTruthy()
    const moderatorNav = screen.getByRole("navigation", { name: "Navigation principale" })
    expect(within(moderatorNav).queryByRole("link", { name: "Administration" })).toBeNull()
    expect(m.called("ListVigilantCommunes")).toEqual([])
    window.history.pushState({}, "", "/")
  })
})

import { cleanup, render, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { AccountId } from "@vigie/domain/accounts/Account"
import { InvalidProfile } from "@vigie/domain/directory/DirectoryErrors"
import {
  Annuaire,
  AnnuaireEntry,
  BlockedMember,
  DEFAULT_VISIBILITY,
  ProfileView
} from "@vigie/domain/directory/Profile"
import { Effect } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { App } from "../../src/App.js"
import { AnnuairePage } from "../../src/features/directory/AnnuairePage.js"
import { BlockedMembers } from "../../src/features/directory/BlockedMembers.js"
import { MemberProfilePage } from "../../src/features/directory/MemberProfilePage.js"
import { MyProfile } from "../../src/features/directory/MyProfile.js"
import { accountId, bourg, me, now } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const hugoId = AccountId.make("55555555-5555-4555-8555-555555555555")

const mine = (overrides: Partial<ConstructorParameters<typeof ProfileView>[0]> = {}) =>
  new ProfileView({
    accountId,
    name: "Yvette P.",
    mine: true,
    referent: false,
    listed: true,
    nameStyle: "short",
    photoUrl: null,
    presentation: null,
    interests: [],
    interestsOther: null,
    skills: [],
    skillsOther: null,
    languages: [],
    street: "Rue de l'Église",
    houseNumber: "12",
    phone: "+33639980037",
    email: "yvette.perrin@example.org",
    quartiers: [{ id: bourg.id, name: bourg.name }],
    visibility: DEFAULT_VISIBILITY,
    blockedByMe: false,
    ...overrides
  })

const hugo = (overrides: Partial<ConstructorParameters<typeof AnnuaireEntry>[0]> = {}) =>
  new AnnuaireEntry({
    accountId: hugoId,
    name: "Hugo B.",
    mine: false,
    referent: true,
    newThisWeek: true,
    photoUrl: null,
    street: "Rue des Vignes",
    interests: ["velo"],
    skills: ["bricolage"],
    blockedByMe: false,
    ...overrides
  })

const annuaire = (entries: ReadonlyArray<AnnuaireEntry>) =>
  new Annuaire({ communityId: bourg.id, communityName: bourg.name, entries, newThisWeek: entries.filter((e) =>
    e.newThisWeek
  ), viewerListed: true })

describe("« Mon profil »", () => {
  it("hides the street, the number, the phone and the e-mail by default, and saves each field's choice", async () => {
    const s = stubServer({
      GetMyProfile: () => Effect.succeed(mine()),
      SaveMyProfile: (payload: { readonly interests: ReadonlyArray<string> }) =>
        Effect.succeed(mine({ interests: payload.interests as ReadonlyArray<"jardinage"> }))
    })
    renderPage(() => <MyProfile />, s, "/mon-profil")
    const user = userEvent.setup()
    const street = await screen.findByLabelText("Qui voit ma rue ?")
    expect((street as HTMLSelectElement).value).toBe("me")
    for (const label of ["Qui voit mon numéro de rue ?", "Qui voit mon téléphone ?", "Qui voit mon adresse e-mail ?"]) {
      expect((screen.getByLabelText(label) as HTMLSelectElement).value).toBe("me")
    }
    await user.selectOptions(street, "members")
    await user.type(screen.getByLabelText("Ma présentation"), "Retraitée, j'arrose vos plantes.")
    const interests = screen.getByRole("group", { name: "Mes centres d'intérêt" })
    await user.click(within(interests).getByLabelText("Jardinage"))
    await user.type(screen.getByLabelText("Autres centres d'intérêt (texte libre)"), "Roses anciennes")
    await user.click(within(screen.getByRole("group", { name: "Les langues que je parle" })).getByLabelText("Espagnol"))
    await user.click(screen.getByRole("button", { name: "Enregistrer mon profil" }))
    expect((await screen.findByRole("status")).textContent).toContain("Profil enregistré")
    expect(s.called("SaveMyProfile")[0]!.payload).toMatchObject({
      listed: true,
      nameStyle: "short",
      presentation: "Retraitée, j'arrose vos plantes.",
      interests: ["jardinage"],
      interestsOther: "Roses anciennes",
      languages: ["es"],
      visibility: { ...DEFAULT_VISIBILITY, street: "members" }
    })
  })

  it("says in French why a profile is refused", async () => {
    const s = stubServer({
      GetMyProfile: () => Effect.succeed(mine()),
      SaveMyProfile: () =>
        Effect.fail(new InvalidProfile({ field: "presentation", reason: "too_long", maxLength: 500 }))
    })
    renderPage(() => <MyProfile />, s, "/mon-profil")
    const user = userEvent.setup()
    await user.click(await screen.findByRole("button", { name: "Enregistrer mon profil" }))
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Le texte de la présentation est trop long : 500 caractères au plus."
    )
  })

  it("leaves the annuaire", async () => {
    const s = stubServer({
      GetMyProfile: () => Effect.succeed(mine()),
      SaveMyProfile: () => Effect.succeed(mine({ listed: false }))
    })
    renderPage(() => <MyProfile />, s, "/mon-profil")
    const user = userEvent.setup()
    await user.click(await screen.findByLabelText("Apparaître dans l'annuaire de mes quartiers"))
    await user.click(screen.getByRole("button", { name: "Enregistrer mon profil" }))
    expect((await screen.findByRole("status")).textContent).toContain("Vous n'apparaissez plus dans l'annuaire")
    expect(s.called("SaveMyProfile")[0]!.payload).toMatchObject({ listed: false })
  })
})

describe("the annuaire", () => {
  it("lists the members with their référent mark, the newcomers, a link to write, and searches", async () => {
    const s = stubServer({ ListAnnuaire: () => Effect.succeed(annuaire([hugo()])) })
    renderPage(() => <AnnuairePage me={me()} />, s, "/annuaire")
    const user = userEvent.setup()
    const list = await screen.findByRole("list", { name: "Membres du quartier" })
    expect(within(list).getByRole("link", { name: "Hugo B." }).getAttribute("href")).toBe(`/annuaire/membres/${hugoId}`)
    expect(within(list).getByText("Référent")).toBeTruthy()
    expect(within(list).getByText("Rue des Vignes")).toBeTruthy()
    expect(within(list).getByText("Vélo · Bricolage")).toBeTruthy()
    expect(within(list).getByRole("link", { name: "Écrire un message à Hugo B." }).getAttribute("href")).toBe(
      `/messages/nouveau?a=${hugoId}`
    )
    expect(screen.getByRole("list", { name: "Nouveaux membres de la semaine" })).toBeTruthy()
    await user.type(screen.getByLabelText("Nom, rue ou centre d'intérêt"), "vélo")
    await user.click(screen.getByRole("button", { name: "Rechercher" }))
    await waitFor(() => expect(s.called("ListAnnuaire").at(-1)!.payload).toMatchObject({ query: "vélo" }))
  })

  it("blocks a member after saying what it does; the list is read again", async () => {
    let blocked = false
    const s = stubServer({
      ListAnnuaire: () => Effect.sync(() => annuaire([hugo({ blockedByMe: blocked, newThisWeek: false })])),
      BlockMember: () =>
        Effect.sync(() => {
          blocked = true
          return [new BlockedMember({ accountId: hugoId, name: "Hugo B.", since: now })]
        })
    })
    renderPage(() => <AnnuairePage me={me()} />, s, "/annuaire")
    const user = userEvent.setup()
    await user.click(await screen.findByRole("button", { name: "Bloquer Hugo B." }))
    const confirm = screen.getByRole("group", { name: "Bloquer Hugo B." })
    expect(confirm.textContent).toContain("n'en sera pas informée")
    await user.click(within(confirm).getByRole("button", { name: "Oui, bloquer Hugo B." }))
    expect(await screen.findByRole("button", { name: "Débloquer Hugo B." })).toBeTruthy()
    expect(s.called("BlockMember")[0]!.payload).toEqual({ accountId: hugoId })
    expect(screen.queryByRole("link", { name: "Écrire un message à Hugo B." })).toBeNull()
  })

  it("chooses several members with their checkboxes, across searches, and « Écrire au groupe » opens the new conversation", async () => {
    const leaId = AccountId.make("66666666-6666-4666-8666-666666666666")
    const lea = hugo({ accountId: leaId, name: "Léa D.", referent: false, newThisWeek: false })
    const s = stubServer({
      ListAnnuaire: (payload: { readonly query: string }) =>
        Effect.succeed(annuaire(payload.query === "" ? [hugo({ newThisWeek: false }), lea] : [lea]))
    })
    const { history } = renderPage(() => <AnnuairePage me={me()} />, s, "/annuaire")
    const user = userEvent.setup()
    const list = await screen.findByRole("list", { name: "Membres du quartier" })
    // A real checkbox named after the member, reached and ticked from the keyboard.
    const hugoBox = within(list).getByRole("checkbox", { name: "Choisir Hugo B. pour un message de groupe" })
    hugoBox.focus()
    await user.keyboard(" ")
    expect((hugoBox as HTMLInputElement).checked).toBe(true)
    const group = screen.getByRole("region", { name: "Message de groupe" })
    expect(group.textContent).toContain("1 membre choisi : Hugo B.")
    // One alone is not a group: said in French, nowhere to go.
    await user.click(within(group).getByRole("button", { name: "Écrire au groupe" }))
    expect(within(group).getByRole("alert").textContent).toContain("Choisissez au moins deux membres")
    expect(history.get()).toBe("/annuaire")
    // The choice stays through a search.
    await user.type(screen.getByLabelText("Nom, rue ou centre d'intérêt"), "Léa")
    await user.click(screen.getByRole("button", { name: "Rechercher" }))
    await screen.findByRole("heading", { name: /Résultats pour « Léa »/ })
    await user.click(screen.getByRole("checkbox", { name: "Choisir Léa D. pour un message de groupe" }))
    expect(screen.getByRole("region", { name: "Message de groupe" }).textContent).toContain(
      "2 membres choisis : Hugo B., Léa D."
    )
    await user.click(screen.getByRole("button", { name: "Écrire au groupe" }))
    expect(history.get()).toBe(`/messages/nouveau?a=${hugoId},${leaId}`)
  })

  it("refuses a 50th member for a group, in French, and a blocked member cannot be chosen", async () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      hugo({
        accountId: AccountId.make(`77777777-7777-4777-8777-${String(i).padStart(12, "0")}`),
        name: `Voisin ${i + 1}`,
        referent: false,
        newThisWeek: false
      }))
    const blocked = hugo({ newThisWeek: false, blockedByMe: true })
    const s = stubServer({ ListAnnuaire: () => Effect.succeed(annuaire([...many, blocked])) })
    const { history } = renderPage(() => <AnnuairePage me={me()} />, s, "/annuaire")
    const user = userEvent.setup()
    const list = await screen.findByRole("list", { name: "Membres du quartier" })
    expect(within(list).queryByRole("checkbox", { name: /Hugo B\./ })).toBeNull()
    const boxes = within(list).getAllByRole("checkbox") as Array<HTMLInputElement>
    expect(boxes).toHaveLength(50)
    for (const box of boxes.slice(0, 49)) await user.click(box)
    const group = screen.getByRole("region", { name: "Message de groupe" })
    expect(group.textContent).toContain("49 membres choisis")
    await user.click(boxes[49]!)
    expect(boxes[49]!.checked).toBe(false)
    expect(within(group).getByRole("alert").textContent).toBe(
      "Un groupe réunit 50 personnes au plus en vous comptant : choisissez 49 membres au plus."
    )
    expect(group.textContent).toContain("49 membres choisis")
    await user.click(within(group).getByRole("button", { name: "Écrire au groupe" }))
    const to = new URL(history.get(), "http://x").searchParams.get("a")!.split(",")
    expect(to).toEqual(many.slice(0, 49).map((e) => e.accountId))
  })

  it("tells a member not yet verified that the annuaire is for verified members", async () => {
    const s = stubServer({})
    renderPage(() => <AnnuairePage me={me("pending_verification")} />, s, "/annuaire")
    expect(await screen.findByText(/réservé aux membres vérifiés/)).toBeTruthy()
    expect(s.called("ListAnnuaire")).toEqual([])
  })
})

describe("a member's page and my blocks", () => {
  it("shows what the member shows, and « Membre introuvable » otherwise", async () => {
    const s = stubServer({
      GetMemberProfile: () =>
        Effect.succeed(
          mine({ accountId: hugoId, name: "Hugo B.", mine: false, referent: true, nameStyle: null,
            presentation: "Cycliste", interests: ["velo"], street: "Rue des Vignes", houseNumber: null, phone: null,
            email: null, visibility: null })
        )
    })
    renderPage(() => <MemberProfilePage />, s, `/annuaire/membres/${hugoId}`, "/annuaire/membres/:accountId")
    expect(await screen.findByRole("heading", { name: "Hugo B." })).toBeTruthy()
    expect(screen.getByText("Cycliste")).toBeTruthy()
    expect(screen.getByText("Rue des Vignes")).toBeTruthy()
    expect(screen.getByRole("link", { name: "Écrire un message" }).getAttribute("href")).toBe(
      `/messages/nouveau?a=${hugoId}`
    )
    expect(screen.queryByText("Téléphone")).toBeNull()
  })

  it("lists my blocks and unblocks", async () => {
    const s = stubServer({
      ListMyBlocks: () => Effect.succeed([new BlockedMember({ accountId: hugoId, name: "Hugo B.", since: now })]),
      UnblockMember: () => Effect.succeed([])
    })
    renderPage(() => <BlockedMembers />, s, "/membres-bloques")
    const user = userEvent.setup()
    await user.click(await screen.findByRole("button", { name: "Débloquer Hugo B." }))
    expect(await screen.findByText("Vous n'avez bloqué personne.")).toBeTruthy()
    expect(s.called("UnblockMember")[0]!.payload).toEqual({ accountId: hugoId })
  })
})

describe("the annuaire in the app", () => {
  it("is a tab of the member navigation, and opens the annuaire of my quartier", async () => {
    // No dev inbox here (the footer asks the server for it).
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 404 }))
    window.history.pushState({}, "", "/annuaire")
    const s = stubServer({
      WhoAmI: () => Effect.succeed(me()),
      ListAnnuaire: () => Effect.succeed(annuaire([hugo()]))
    })
    render(() => <App runtime={s.runtime} />)
    expect(await screen.findByRole("heading", { name: `L'annuaire · ${bourg.name}` })).toBeTruthy()
    const nav = screen.getByRole("navigation", { name: "Navigation principale" })
    expect(within(nav).getByRole("link", { name: "Annuaire" }).getAttribute("href")).toBe("/annuaire")
    window.history.pushState({}, "", "/")
    vi.unstubAllGlobals()
  })
})

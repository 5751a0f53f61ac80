import { AccountId } from "@vigie/domain/accounts/Account"
import { VeilleConsentMissing, VeillePhoneUnsuitable } from "@vigie/domain/checkin/VeilleErrors"
import { VeilleurCandidate } from "@vigie/domain/checkin/Veille"
import { cleanup, screen, waitFor } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { SetupForm } from "../../src/features/veille/VeillePage.js"
import { bourg } from "../support/Fixtures.js"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const person = AccountId.make("77777777-7777-4777-8777-777777777777")
const hugo = new VeilleurCandidate({ accountId: AccountId.make("88888888-8888-4888-8888-888888888888"),
  name: "Hugo Petit" })

type Sent = { readonly paperConsent: boolean; readonly smsConsent?: boolean }

describe("setting up a veille for a neighbour registered on paper: the consent", () => {
  it("offers the paper form or an SMS; without a choice the server's refusal is said in French", async () => {
    let done = 0
    const s = stubServer({
      ListVeilleurCandidates: () => Effect.succeed([hugo]),
      SetupVeille: (p: Sent) =>
        p.paperConsent || p.smsConsent === true
          ? Effect.die("not in this test")
          : Effect.fail(new VeilleConsentMissing())
    })
    renderPage(
      () => <SetupForm person={person} personName="Jeanne Martin" communityId={bourg.id} onDone={() => done++} />,
      s,
      "/veille"
    )
    const group = screen.getByRole("group", { name: "L'accord de Jeanne Martin" })
    expect(group).toBeTruthy()
    const paper = screen.getByRole("radio", { name: "La personne a signé son accord sur papier ; je le conserve" })
    const bySms = screen.getByRole("radio", { name: "Lui demander par SMS" }) as HTMLInputElement
    expect(bySms.getAttribute("aria-describedby")).toBeTruthy()
    expect([(paper as HTMLInputElement).checked, bySms.checked]).toEqual([false, false])
    await userEvent.click(await screen.findByRole("checkbox", { name: "Hugo Petit" }))
    await userEvent.click(screen.getByRole("button", { name: "Mettre en place la veille" }))
    expect(await screen.findByText(/Choisissez comment la personne donne son accord/)).toBeTruthy()
    expect(done).toBe(0)
    expect(s.called("SetupVeille").map((c) => (c.payload as Sent).smsConsent)).toEqual([undefined])
  })

  it("asked by SMS: sends smsConsent and no paper consent; a landline is refused in French", async () => {
    let done = 0
    const s = stubServer({
      ListVeilleurCandidates: () => Effect.succeed([hugo]),
      SetupVeille: () => Effect.fail(new VeillePhoneUnsuitable({ channel: "sms" }))
    })
    renderPage(
      () => <SetupForm person={person} personName="Jeanne Martin" communityId={bourg.id} onDone={() => done++} />,
      s,
      "/veille"
    )
    await userEvent.click(await screen.findByRole("checkbox", { name: "Hugo Petit" }))
    await userEvent.click(screen.getByRole("radio", { name: "Lui demander par SMS" }))
    await userEvent.click(screen.getByRole("button", { name: "Mettre en place la veille" }))
    expect(await screen.findByText(/ne reçoit pas de SMS \(ligne fixe\)/)).toBeTruthy()
    await waitFor(() => expect(s.called("SetupVeille").length).toBe(1))
    const sent = s.called("SetupVeille")[0]!.payload as Sent
    expect([sent.paperConsent, sent.smsConsent]).toEqual([false, true])
    expect(done).toBe(0)
  })

  it("for oneself there is no consent choice", async () => {
    const s = stubServer({ ListVeilleurCandidates: () => Effect.succeed([hugo]) })
    renderPage(() => <SetupForm personName="moi" communityId={bourg.id} onDone={() => undefined} />, s, "/veille")
    await screen.findByRole("checkbox", { name: "Hugo Petit" })
    expect(screen.queryByRole("radio", { name: "Lui demander par SMS" })).toBeNull()
  })
})

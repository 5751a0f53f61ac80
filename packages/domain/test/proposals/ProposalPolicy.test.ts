import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import type { StaffRole } from "../../src/accounts/Account.js"
import type { InseeCode } from "../../src/communities/Commune.js"
import type { ProposalStatus } from "../../src/proposals/CommunityProposal.js"
import { decidesProposals, nextStatus, type ProposalEvent } from "../../src/proposals/ProposalPolicy.js"
import { proposalDecisionBody, proposalNoticeEmailText } from "../../src/proposals/ProposalTexts.js"

const statuses: ReadonlyArray<ProposalStatus> = ["pending", "accepted", "refused", "withdrawn"]
const event = fc.constantFrom<ProposalEvent>("accept", "refuse", "withdraw")

/** Runs the events from pending: the statuses passed through, an event not allowed leaving the status as it is. */
const run = (events: ReadonlyArray<ProposalEvent>): Array<ProposalStatus> => {
  const seen: Array<ProposalStatus> = ["pending"]
  for (const e of events) seen.push(nextStatus(seen[seen.length - 1]!, e) ?? seen[seen.length - 1]!)
  return seen
}

describe("a quartier proposal's life", () => {
  it.prop("every sequence of events leaves a valid status", [fc.array(event, { maxLength: 30 })], ([events]) => {
    for (const status of run(events)) expect(statuses).toContain(status)
  })

  it.prop("a decided or withdrawn proposal never changes again", [fc.array(event, { maxLength: 30 })], ([events]) => {
    const seen = run(events)
    const first = seen.findIndex((s) => s !== "pending")
    if (first >= 0) expect(new Set(seen.slice(first)).size).toBe(1)
  })

  it.prop("only a pending proposal may be decided or withdrawn, and each event has its one outcome", [
    fc.constantFrom(...statuses),
    event
  ], ([status, e]) => {
    const next = nextStatus(status, e)
    if (status !== "pending") expect(next).toBeUndefined()
    else expect(next).toBe({ accept: "accepted", refuse: "refused", withdraw: "withdrawn" }[e])
  })

  it("the first event of a pending proposal settles it", () => {
    expect(run(["refuse", "accept", "withdraw"])).toStrictEqual(["pending", "refused", "refused", "refused"])
    expect(run(["withdraw", "accept"])).toStrictEqual(["pending", "withdrawn", "withdrawn"])
  })
})

describe("who decides a commune's proposals", () => {
  const here = "33522" as InseeCode
  const elsewhere = "33550" as InseeCode
  const role = fc.constantFrom<StaffRole>(
    { _tag: "Admin" },
    { _tag: "Moderator" },
    { _tag: "MairieAgent", insee: here },
    { _tag: "MairieAgent", insee: elsewhere },
    { _tag: "MunicipalPolice", insee: here }
  )
  it.prop("an admin always; the commune's agent only when it is vigilant; nobody else", [
    fc.array(role, { maxLength: 4 }),
    fc.boolean()
  ], ([roles, vigilant]) => {
    const admin = roles.some((r) => r._tag === "Admin")
    const agentHere = roles.some((r) => r._tag === "MairieAgent" && r.insee === here)
    expect(decidesProposals(roles, here, vigilant)).toBe(admin || (vigilant && agentHere))
  })
})

describe("the requester's e-mail", () => {
  it("tells the refusal's reason, escaped in HTML, with a link to one's proposals", () => {
    const body = proposalDecisionBody({ kind: "refused", firstName: "Denise", quartier: "Les Tilleuls",
      commune: "Talence", reason: "Déjà couvert <bientôt>" })
    expect(body).toContain("« Les Tilleuls » que vous avez proposé à Talence n'a pas été ouvert")
    expect(body).toContain("Raison donnée : Déjà couvert <bientôt>")
    const mail = proposalNoticeEmailText(body, "http://vigie.test")
    expect(mail.html).toContain("Déjà couvert &lt;bientôt&gt;")
    expect(mail.text).toContain("http://vigie.test/propositions")
  })

  it("tells the accepted requester they are the référent once their address is verified", () => {
    const body = proposalDecisionBody({ kind: "accepted", firstName: "Bastien", quartier: "Les Saules",
      commune: "Villenave-d'Ornon" })
    expect(body).toContain("« Les Saules » que vous avez proposé à Villenave-d'Ornon est ouvert")
    expect(body).toContain("Vous en êtes le référent")
    expect(body).toContain("Votre adresse doit encore être vérifiée")
  })
})

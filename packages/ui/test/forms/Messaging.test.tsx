import { cleanup, screen, waitFor, within } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import type { AccountId } from "@vigie/domain/accounts/Account"
import {
  ConversationId,
  ConversationPreview,
  ConversationView,
  MessageId,
  MessageView,
  ParticipantView,
  SentMessage
} from "@vigie/domain/messaging/Conversation"
import { RecipientUnavailable } from "@vigie/domain/messaging/MessagingErrors"
import { DateTime, Effect, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ConversationPage, seenBy } from "../../src/features/messaging/ConversationPage.js"
import { linkParts, MessageText } from "../../src/features/messaging/MessageText.js"
import { NewConversation, recipientsOf } from "../../src/features/messaging/NewConversation.js"
import { render } from "@solidjs/testing-library"
import { renderPage, stubServer } from "../support/TestRuntime.js"

afterEach(cleanup)

const conversationId = ConversationId.make("c0c0c0c0-0000-4000-8000-000000000001")
const hugo = "a0a0a0a0-0000-4000-8000-000000000003" as AccountId
const now = DateTime.unsafeMake("2026-12-06T08:00:00Z")

const message = (id: number, over: Partial<ConstructorParameters<typeof MessageView>[0]> = {}) =>
  new MessageView({ id: MessageId.make(id), authorName: "Hugo P.", mine: false, body: `Message ${id}`, photos: [],
    linksClickable: true, sentAt: now, ...over })

const view = (messages: ReadonlyArray<MessageView>, lastReadId = 0, unread = 0, blockedByMe = false) =>
  new ConversationView({
    id: conversationId,
    kind: "direct",
    others: [new ParticipantView({ accountId: hugo, name: "Hugo P.", lastReadId, blockedByMe })],
    messages,
    olderBefore: null,
    unread
  })

describe("a new message", () => {
  it("reads whom from the address: a member, an alert's or a post's author", () => {
    expect(recipientsOf({ a: hugo })).toEqual({ _tag: "Members", accountIds: [hugo] })
    expect(recipientsOf({ alerte: "x" })).toEqual({ _tag: "AlertAuthor", alertId: "x" })
    expect(recipientsOf({ annonce: "y" })).toEqual({ _tag: "PostAuthor", postId: "y" })
    expect(recipientsOf({})).toBeUndefined()
  })

  it("names the recipient by display name, warns before a sensitive description, then sends", async () => {
    const s = stubServer({
      PreviewConversation: () => Effect.succeed(new ConversationPreview({ names: ["Hugo P."], existing: null })),
      StartConversation: (p: { text: string }) =>
        Effect.succeed(new SentMessage({ conversationId, message: message(1, { mine: true, body: p.text }) }))
    })
    renderPage(() => <NewConversation />, s, `/messages/nouveau?a=${hugo}`)
    expect(await screen.findByRole("heading", { name: "Écrire à Hugo P." })).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Envoyer" }))
    expect((await screen.findByRole("alert")).textContent).toBe("Écrivez votre message avant de l'envoyer.")
    expect(s.called("StartConversation")).toEqual([])

    await userEvent.type(screen.getByLabelText("Votre message"), "Un homme noir regarde votre garage")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer" }))
    expect(within(await screen.findByRole("list", { name: "Passages signalés" })).getByText("« noir »")).toBeTruthy()
    expect(s.called("StartConversation")).toEqual([])
    await userEvent.click(screen.getByRole("button", { name: "Envoyer quand même" }))
    await waitFor(() => expect(s.called("StartConversation")).toHaveLength(1))
    expect(s.called("StartConversation")[0]!.payload).toMatchObject({
      to: { _tag: "Members", accountIds: [hugo] },
      text: "Un homme noir regarde votre garage"
    })
  })

  it("says in French when the recipient cannot be written to, and offers no message box", async () => {
    const s = stubServer({ PreviewConversation: () => Effect.fail(new RecipientUnavailable()) })
    renderPage(() => <NewConversation />, s, `/messages/nouveau?alerte=${hugo}`)
    expect((await screen.findByRole("alert")).textContent).toMatch(/Vous ne pouvez pas écrire à cette personne/)
    expect(screen.queryByLabelText("Votre message")).toBeNull()
  })
})

describe("a conversation", () => {
  it("shows the messages, marks them read, says who saw mine, and announces a new one in a live region", async () => {
    let current = view([message(1, { mine: true, authorName: "Chloé M.", body: "Bonjour" }), message(2)], 1, 1)
    const s = stubServer({
      WatchLiveEvents: () =>
        Stream.make({ _tag: "ConversationChanged" as const, conversationId, accountIds: [] }).pipe(
          Stream.tap(() =>
            Effect.sync(() => {
              current = view([...current.messages, message(3, { body: "Vous êtes là ?" })], 1, 1)
            })
          ),
          Stream.concat(Stream.never)
        ),
      GetConversation: () => Effect.sync(() => current),
      MarkConversationRead: () => Effect.succeed({ messages: 0, conversations: 0 }),
      CountUnreadMessages: () => Effect.succeed({ messages: 0, conversations: 0 })
    })
    renderPage(() => <ConversationPage />, s, `/messages/${conversationId}`, "/messages/:id")
    expect(await screen.findByRole("heading", { name: "Avec Hugo P." })).toBeTruthy()
    const list = screen.getByRole("list", { name: "Messages" })
    await waitFor(() => expect(within(list).getByText("Vous êtes là ?")).toBeTruthy())
    expect(within(list).getByText("Vu par Hugo P.")).toBeTruthy()
    await waitFor(() => expect(screen.getByTestId("live-announce").textContent).toContain("Nouveau message de Hugo P."))
    expect(screen.getByTestId("live-announce").getAttribute("aria-live")).toBe("polite")
    await waitFor(() => expect(s.called("MarkConversationRead").length).toBeGreaterThan(0))
    expect(s.called("MarkConversationRead").at(-1)!.payload).toMatchObject({ conversationId, upTo: 3 })
  })

  it("shows « Message supprimé » for an erased member's message, and reports another's with a reason", async () => {
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      GetConversation: () =>
        Effect.succeed(view([message(1, { authorName: "Ancien membre", body: null }), message(2)])),
      ReportMessage: () => Effect.void
    })
    renderPage(() => <ConversationPage />, s, `/messages/${conversationId}`, "/messages/:id")
    expect(await screen.findByText("Message supprimé")).toBeTruthy()
    // The removed message offers no report; the other does.
    expect(screen.getAllByRole("button", { name: "Signaler" })).toHaveLength(1)
    await userEvent.click(screen.getByRole("button", { name: "Signaler" }))
    await userEvent.selectOptions(screen.getByLabelText("Pourquoi ?"), "insulting")
    await userEvent.type(screen.getByLabelText("Précisez (facultatif)"), "Insultes")
    await userEvent.click(screen.getByRole("button", { name: "Envoyer le signalement" }))
    expect((await screen.findByRole("status")).textContent).toMatch(/Message signalé/)
    expect(s.called("ReportMessage")[0]!.payload).toMatchObject({ messageId: 2, reason: "insulting", note: "Insultes" })
  })
})

describe("blocking from a conversation", () => {
  it("offers « Bloquer » in a one-to-one conversation, says what it does (the annuaire's words), then « Débloquer »", async () => {
    let blocked = false
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      GetConversation: () => Effect.sync(() => view([message(1)], 0, 0, blocked)),
      BlockMember: () =>
        Effect.sync(() => {
          blocked = true
          return []
        })
    })
    renderPage(() => <ConversationPage />, s, `/messages/${conversationId}`, "/messages/:id")
    await userEvent.click(await screen.findByRole("button", { name: "Bloquer Hugo P." }))
    const confirm = screen.getByRole("group", { name: "Bloquer Hugo P." })
    expect(confirm.textContent).toContain("ne pourra plus vous écrire")
    expect(confirm.textContent).toContain("n'en sera pas informée")
    expect(s.called("BlockMember")).toEqual([])
    await userEvent.click(within(confirm).getByRole("button", { name: "Oui, bloquer Hugo P." }))
    expect(await screen.findByRole("button", { name: "Débloquer Hugo P." })).toBeTruthy()
    expect(s.called("BlockMember")[0]!.payload).toEqual({ accountId: hugo })
  })

  it("offers no « Bloquer » in a group (nobody's account is given there)", async () => {
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      GetConversation: () =>
        Effect.succeed(
          new ConversationView({
            id: conversationId,
            kind: "group",
            others: ["Hugo P.", "Léa D."].map((name) =>
              new ParticipantView({ accountId: null, name, lastReadId: 0, blockedByMe: false })
            ),
            messages: [message(1)],
            olderBefore: null,
            unread: 0
          })
        )
    })
    renderPage(() => <ConversationPage />, s, `/messages/${conversationId}`, "/messages/:id")
    expect(await screen.findByRole("heading", { name: "Avec Hugo P., Léa D." })).toBeTruthy()
    expect(screen.queryByRole("button", { name: /Bloquer/ })).toBeNull()
  })
})

describe("older messages", () => {
  it("asks for the page before the oldest shown, page after page, until there is none", async () => {
    const page = (ids: ReadonlyArray<number>, olderBefore: number | null) =>
      new ConversationView({ id: conversationId, kind: "direct",
        others: [new ParticipantView({ accountId: hugo, name: "Hugo P.", lastReadId: 0, blockedByMe: false })],
        messages: ids.map((i) => message(i)), olderBefore: olderBefore === null ? null : MessageId.make(olderBefore),
        unread: 0 })
    const s = stubServer({
      WatchLiveEvents: () => Stream.never,
      GetConversation: (p: { before?: number }) =>
        Effect.succeed(p.before === undefined ? page([5, 6], 5) : p.before === 5 ? page([3, 4], 3) : page([1, 2], null))
    })
    renderPage(() => <ConversationPage />, s, `/messages/${conversationId}`, "/messages/:id")
    await screen.findByText("Message 6")
    await userEvent.click(screen.getByRole("button", { name: "Messages plus anciens" }))
    await screen.findByText("Message 3")
    await userEvent.click(screen.getByRole("button", { name: "Messages plus anciens" }))
    await screen.findByText("Message 1")
    expect(screen.queryByRole("button", { name: "Messages plus anciens" })).toBeNull()
    const texts = within(screen.getByRole("list", { name: "Messages" })).getAllByText(/^Message \d$/)
    expect(texts.map((t) => t.textContent)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `Message ${i}`))
    expect(s.called("GetConversation").map((c) => c.payload.before)).toEqual([undefined, 5, 3])
  })
})

describe("message texts", () => {
  it("makes links clickable only for members of 7 days or more", () => {
    expect(linkParts("Voir https://exemple.fr/page et merci")).toEqual([
      { text: "Voir ", link: false },
      { text: "https://exemple.fr/page", link: true },
      { text: " et merci", link: false }
    ])
    const seasoned = render(() => <MessageText text="Voir https://exemple.fr" clickable={true} />)
    expect(seasoned.container.querySelector("a")?.getAttribute("href")).toBe("https://exemple.fr")
    expect(seasoned.container.querySelector("a")?.getAttribute("rel")).toContain("nofollow")
    cleanup()
    const fresh = render(() => <MessageText text="Voir https://exemple.fr" clickable={false} />)
    expect(fresh.container.querySelector("a")).toBeNull()
    expect(fresh.container.textContent).toBe("Voir https://exemple.fr")
  })

  it("puts « Vu par » under the latest of my messages each other member has read", () => {
    const v = view([message(1, { mine: true }), message(2, { mine: true }), message(3)], 2)
    expect([...seenBy(v).entries()]).toEqual([[2, ["Hugo P."]]])
    expect([...seenBy(view([message(1, { mine: true })], 0)).entries()]).toEqual([])
  })
})

import { A, useNavigate, useSearchParams } from "@solidjs/router"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { UploadId } from "@vigie/domain/media/Upload"
import type { Recipients } from "@vigie/domain/messaging/Conversation"
import { Effect } from "effect"
import { Show, createResource } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { Composer } from "./Composer.js"

/** Whom the page's address names: `?a=<member>` (the annuaire), `?alerte=<id>` or `?annonce=<id>` (their author). */
export const recipientsOf = (
  query: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
): Recipients | undefined => {
  const one = (key: string) => {
    const v = query[key]
    return typeof v === "string" && v !== "" ? v : undefined
  }
  const a = one("a")
  if (a !== undefined) return { _tag: "Members", accountIds: a.split(",") as unknown as ReadonlyArray<AccountId> }
  const alert = one("alerte")
  if (alert !== undefined) return { _tag: "AlertAuthor", alertId: alert }
  const post = one("annonce")
  if (post !== undefined) return { _tag: "PostAuthor", postId: post }
  return undefined
}

/** A new message to a member or to an author: whom (their display name only), then the message box. */
export const NewConversation = () => {
  const [query] = useSearchParams()
  const navigate = useNavigate()
  const run = useRun()
  const to = recipientsOf(query)
  const [preview] = createResource(async () =>
    to === undefined ? undefined : run(Effect.flatMap(Vigie, (client) => client.PreviewConversation({ to })))
  )
  const send = async (text: string, photos: ReadonlyArray<UploadId>) => {
    if (to === undefined) return "Choisissez d'abord à qui écrire."
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.StartConversation({ to, text, photos })))
    if (!outcome.ok) return outcome.failure.message
    navigate(`/messages/${outcome.value.conversationId}`)
    return undefined
  }
  return (
    <section aria-labelledby="new-title">
      <p>
        <A href="/messages">← Tous les messages</A>
      </p>
      <Show when={to !== undefined} fallback={
        <>
          <h1 id="new-title">Nouveau message</h1>
          <p>Écrivez à un voisin depuis l'annuaire de votre quartier, ou à l'auteur d'une alerte ou d'une annonce.</p>
        </>
      }>
        <Show when={preview()} fallback={<p aria-busy="true">Chargement…</p>}>
          {(outcome) => (
            <Show when={outcome().ok ? outcome() : undefined} fallback={
              <>
                <h1 id="new-title">Nouveau message</h1>
                <p class="error" role="alert">
                  {!outcome().ok ? (outcome() as { failure: { message: string } }).failure.message : ""}
                </p>
              </>
            }>
              {(ok) => {
                const value = (ok() as { value: { names: ReadonlyArray<string>; existing: string | null } }).value
                return (
                  <>
                    <h1 id="new-title">Écrire à {value.names.join(", ")}</h1>
                    <Show when={value.existing}>
                      {(existing) => (
                        <p class="small">
                          Vous avez déjà une conversation :{" "}
                          <A href={`/messages/${existing()}`}>la voir</A>. Votre message s'y ajoutera.
                        </p>
                      )}
                    </Show>
                    <p class="small">Seuls vous et {value.names.join(", ")} lirez ces messages.</p>
                    <Composer label="Votre message" onSend={send} />
                  </>
                )
              }}
            </Show>
          )}
        </Show>
      </Show>
    </section>
  )
}

import { A } from "@solidjs/router"
import type { BlockedMember } from "@vigie/domain/directory/Profile"
import { DateTime, Effect } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

const day = (at: DateTime.Utc) =>
  DateTime.toDate(at).toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric",
    timeZone: "Europe/Paris" })

/** « Membres bloqués »: whom I blocked, since when, and « Débloquer ». */
export const BlockedMembers = () => {
  const run = useRun()
  const [error, setError] = createSignal<string>()
  const [status, setStatus] = createSignal<string>()
  const [blocks, { mutate }] = createResource(async (): Promise<ReadonlyArray<BlockedMember>> => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListMyBlocks({})))
    if (!outcome.ok) {
      setError(outcome.failure.message)
      return []
    }
    return outcome.value
  })
  const unblock = async (member: BlockedMember) => {
    setError(undefined)
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.UnblockMember({ accountId: member.accountId })))
    if (!outcome.ok) return setError(outcome.failure.message)
    mutate(outcome.value)
    setStatus(`${member.name} est débloqué.`)
  }
  return (
    <section aria-labelledby="blocks-title">
      <h1 id="blocks-title">Membres bloqués</h1>
      <p class="hint">
        Un membre bloqué ne vous trouve plus dans l'annuaire, ne voit plus votre profil, ne peut plus vous écrire ni
        commenter ou remercier vos publications. Il n'en est pas informé. <A href="/annuaire">L'annuaire</A>
      </p>
      <div class="sr-only" aria-live="polite">{status()}</div>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <Show when={blocks()} fallback={<p aria-busy="true">Chargement…</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="empty">Vous n'avez bloqué personne.</p>}>
            <ul class="feed" aria-label="Membres bloqués">
              <For each={list()}>
                {(member) => (
                  <li class="card blocked">
                    <span>{member.name}</span> <span class="hint">bloqué depuis le {day(member.since)}</span>
                    <button type="button" class="secondary" onClick={() => void unblock(member)}>
                      Débloquer <span class="sr-only">{member.name}</span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  )
}

import type { AccountId } from "@vigie/domain/accounts/Account"
import { Effect } from "effect"
import { Show, createSignal } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

/**
 * « Bloquer » with a confirmation step (what it does is said before it is done), or « Débloquer »
 * for a member I blocked. `onChange` runs after the server agreed.
 */
export const BlockButton = (props: {
  readonly accountId: AccountId
  readonly name: string
  readonly blocked: boolean
  readonly onChange: (blocked: boolean) => void
}) => {
  const run = useRun()
  const [asking, setAsking] = createSignal(false)
  const [error, setError] = createSignal<string>()
  const act = async (block: boolean) => {
    setError(undefined)
    const outcome = await run(
      Effect.flatMap(Vigie, (client) =>
        block
          ? client.BlockMember({ accountId: props.accountId })
          : client.UnblockMember({ accountId: props.accountId }))
    )
    if (!outcome.ok) return setError(outcome.failure.message)
    setAsking(false)
    props.onChange(block)
  }
  return (
    <div class="block-action">
      <Show when={!props.blocked} fallback={
        <button type="button" class="secondary" onClick={() => void act(false)}>
          Débloquer <span class="sr-only">{props.name}</span>
        </button>
      }>
        <Show when={asking()} fallback={
          <button type="button" class="secondary" onClick={() => setAsking(true)}>
            Bloquer <span class="sr-only">{props.name}</span>
          </button>
        }>
          <div role="group" aria-label={`Bloquer ${props.name}`} class="confirm">
            <p>
              {props.name}{" "}
              ne vous trouvera plus dans l'annuaire, ne verra plus votre profil et ne pourra plus vous écrire ni réagir
              à vos publications. Cette personne n'en sera pas informée.
            </p>
            <button type="button" class="danger" onClick={() => void act(true)}>Oui, bloquer {props.name}</button>
            <button type="button" class="link" onClick={() => setAsking(false)}>Annuler</button>
          </div>
        </Show>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
    </div>
  )
}

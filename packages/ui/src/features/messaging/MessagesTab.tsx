import { A } from "@solidjs/router"
import { Effect } from "effect"
import { Show, createSignal, onMount } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { onConversationChanged } from "./LiveConversations.js"

/** "Messages" in the navigation, with the count of unread messages as a badge, kept live. */
export const MessagesTab = () => {
  const run = useRun()
  const [unread, setUnread] = createSignal(0)
  const recount = async () => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.CountUnreadMessages({})))
    if (outcome.ok) setUnread(outcome.value.messages)
  }
  onMount(() => void recount())
  onConversationChanged(() => void recount())
  return (
    <A href="/messages"
      aria-label={unread() > 0 ? `Messages, ${unread()} non lu${unread() > 1 ? "s" : ""}` : undefined}
    >
      Messages
      <Show when={unread() > 0}>
        {" "}
        <span class="badge unread" data-testid="unread-badge" aria-hidden="true">{unread()}</span>
      </Show>
    </A>
  )
}

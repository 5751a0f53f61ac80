import { Show } from "solid-js"
import type { JSX } from "solid-js"
import { useSession } from "./Session.js"

/**
 * What a page shows instead of its content when the server could not say who is logged in: why, the
 * site's address when the page was opened at another one, and a button to try again. Never a spinner
 * that waits forever.
 */
export const UnlessUnreachable = (props: { readonly children: JSX.Element }) => {
  const session = useSession()
  return (
    <Show when={session.unreachable()} fallback={props.children}>
      {(unreachable) => (
        <section role="alert" aria-labelledby="unreachable-title">
          <h1 id="unreachable-title">Vigie ne répond pas</h1>
          <p>{unreachable().message}</p>
          <div class="stack">
            <Show when={unreachable().site}>
              {(site) => <a class="button primary big" href={site()}>Ouvrir {site()}</a>}
            </Show>
            <button type="button" class="button secondary big" onClick={() => session.refresh()}>Réessayer</button>
          </div>
          <p class="small">Vigie ne remplace pas les secours : en cas d'urgence, appelez le 17, le 18 ou le 15.</p>
        </section>
      )}
    </Show>
  )
}

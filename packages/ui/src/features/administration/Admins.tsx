import { A } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Show } from "solid-js"
import type { JSX } from "solid-js"

/** Whether I hold the platform's Admin role. */
export const isAdminMe = (me: Me): boolean => me.account.staffRoles.some((r) => r._tag === "Admin")

/** Renders its page for the platform's admins; others are told it is reserved. */
export const AdminOnly = (props: { readonly me: Me; readonly children: JSX.Element }) => (
  <Show when={isAdminMe(props.me)} fallback={
    <section>
      <h1>Accès réservé</h1>
      <p>Cette page est réservée aux administrateurs de Vigie.</p>
      <p>
        <A href="/">Retour à l'accueil</A>
      </p>
    </section>
  }>
    {props.children}
  </Show>
)

import { A } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Show } from "solid-js"
import type { JSX } from "solid-js"
import { isModeratorMe, referentOf } from "./Labels.js"

const Reserved = (props: { readonly who: string }) => (
  <section>
    <h1>Accès réservé</h1>
    <p>Cette page est réservée {props.who}.</p>
    <p>
      <A href="/">Retour à l'accueil</A>
    </p>
  </section>
)

/** Renders its page for moderators (Moderator or Admin staff); others are told it is reserved. */
export const ModeratorOnly = (props: { readonly me: Me; readonly children: JSX.Element }) => (
  <Show when={isModeratorMe(props.me)} fallback={<Reserved who="aux modérateurs de Vigie" />}>{props.children}</Show>
)

/** Renders its page for référents of a community and moderators; others are told it is reserved. */
export const ReferentOnly = (props: { readonly me: Me; readonly children: JSX.Element }) => (
  <Show when={isModeratorMe(props.me) || referentOf(props.me).length > 0}
    fallback={<Reserved who="aux référents des quartiers et aux modérateurs" />}
  >
    {props.children}
  </Show>
)

import { A, useSearchParams } from "@solidjs/router"
import type { MyMembership } from "@vigie/domain/accounts/Me"
import { Effect } from "effect"
import { For, Show, createSignal } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { formatDate } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { activationCode } from "../../lib/validation.js"
import { pendingMemberships, useSession } from "../session/Session.js"

/** "Activer mon adresse": the code of the letter posted to my home makes my membership verified. */
export const Activate = (props: {
  readonly pending: ReadonlyArray<MyMembership>
  /** Called with the quartier's name once the code is accepted. */
  readonly onActivated: (communityName: string) => void
}) => {
  const run = useRun()
  const session = useSession()
  const [params] = useSearchParams()
  const [chosen, setChosen] = createSignal(props.pending[0]?.membership.id)
  const [letter, setLetter] = createSignal<string>()
  const [letterError, setLetterError] = createSignal<string>()
  const form = createForm({ code: "" }, { code: activationCode })

  const onSubmit = form.submit(
    () => {
      const membershipId = chosen()
      return run(Effect.flatMap(Vigie, (client) =>
        membershipId === undefined
          ? Effect.dieMessage("no pending membership")
          : client.ConfirmActivationCode({ membershipId, code: form.values.code })))
    },
    (membership) => {
      // Told before the session refresh: the refresh empties the pending list, and the page must still
      // say that it worked rather than "nothing to activate".
      props.onActivated(
        props.pending.find((m) => m.membership.id === membership.id)?.community.name ?? "votre quartier"
      )
      session.refresh()
    }
  )

  const requestLetter = async () => {
    const membershipId = chosen()
    if (membershipId === undefined) return
    setLetter(undefined)
    setLetterError(undefined)
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.RequestActivationLetter({ membershipId })))
    if (outcome.ok) {
      setLetter(
        `Une nouvelle lettre part à votre domicile. Son code sera valable jusqu'au ${
          formatDate(outcome.value.expiresAt)
        }.`
      )
    } else setLetterError(outcome.failure.message)
  }

  return (
    <section aria-labelledby="activate-title">
      <h1 id="activate-title">Activer mon adresse</h1>
      <Show when={params["nouveau"] === "1"}>
        <div class="notice" role="status">
          <p>
            <strong>Bienvenue !</strong>{" "}
            Votre compte est créé. Une lettre avec un code d'activation part par la poste à votre domicile : elle prouve
            que vous habitez bien le quartier.
          </p>
        </div>
      </Show>
      <p>
        Saisissez le code de 10 caractères imprimé sur la lettre reçue à votre domicile. Les espaces et tirets ne
        comptent pas.
      </p>
      <form onSubmit={onSubmit} novalidate aria-label="Code de la lettre">
        <Show when={props.pending.length > 1}>
          <fieldset class="choices">
            <legend>Pour quel quartier ?</legend>
            <For each={props.pending}>
              {(m) => (
                <label class="choice">
                  <input type="radio" name="membership" checked={chosen() === m.membership.id}
                    onChange={() => setChosen(m.membership.id)} />
                  <span>{m.community.name}</span>
                </label>
              )}
            </For>
          </fieldset>
        </Show>
        <TextField id="code" label="Code d'activation" autocomplete="one-time-code" autocapitalize="characters"
          spellcheck={false} class="code" placeholder="XXXX-XXXX-XX" value={form.values.code}
          onValue={(v) => form.set("code", v)} onBlur={() => form.touch("code")} error={form.error("code")} />
        <FormError message={form.formError()} />
        <button type="submit" class="primary" disabled={form.busy()}>Activer mon adresse</button>
      </form>
      <div class="aside">
        <p>Pas reçu de lettre, ou code expiré ?</p>
        <button type="button" class="secondary" onClick={() => void requestLetter()}>
          Recevoir une nouvelle lettre
        </button>
        <Show when={letter()}>
          <p role="status">{letter()}</p>
        </Show>
        <Show when={letterError()}>
          <p class="error" role="alert">{letterError()}</p>
        </Show>
        <p class="small">Un référent de votre quartier ou votre mairie peut aussi confirmer votre adresse.</p>
      </div>
    </section>
  )
}

/** The route: waits for the session and hands my pending memberships to the form. */
export const ActivatePage = () => {
  const session = useSession()
  const [activated, setActivated] = createSignal<string>()
  return (
    <Show when={session.me()} fallback={
      <p>
        Connectez-vous d'abord : <A href="/connexion">se connecter</A>.
      </p>
    }>
      {(me) => (
        <Show when={activated()} fallback={
          <Show when={pendingMemberships(me()).length > 0} fallback={
            <section>
              <h1>Activer mon adresse</h1>
              <p>
                Toutes vos adresses sont déjà activées. <A href="/">Voir le fil</A>
              </p>
            </section>
          }>
            <Activate pending={pendingMemberships(me())} onActivated={setActivated} />
          </Show>
        }>
          {(community) => (
            <section aria-labelledby="activate-title">
              <h1 id="activate-title">Activer mon adresse</h1>
              <div class="notice success" role="status">
                <p>
                  <strong>C'est fait : votre adresse est activée.</strong> Vous faites partie de {community()}.
                </p>
                <A class="button primary" href="/">Voir les alertes de mon quartier</A>
              </div>
            </section>
          )}
        </Show>
      )}
    </Show>
  )
}

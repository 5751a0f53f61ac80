import { A, useNavigate } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Redacted, Schema } from "effect"
import { Show, createSignal } from "solid-js"
import { TextField, FormError } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { email, required } from "../../lib/validation.js"
import { useSession } from "./Session.js"

/** Where a signed-in account goes: staff without a second factor enrol it first. */
export const afterSignIn = (
  me: Me,
  mustEnrol: boolean
) => (mustEnrol && me.account.staffRoles.length > 0 ? "/double-authentification" : "/")

/**
 * The second step of a staff sign-in: the code of the authenticator app, or a recovery code, with
 * the challenge the password step gave.
 */
const SecondStep = (
  props: { readonly challenge: string; readonly onDone: (me: Me) => void; readonly onRestart: () => void }
) => {
  const run = useRun()
  const form = createForm({ code: "" }, {
    code: required("le code à 6 chiffres de votre application, ou un code de secours")
  })
  const onSubmit = form.submit(
    () =>
      run(
        Effect.flatMap(Vigie, (client) =>
          client.CompleteSignIn({ challenge: props.challenge, code: form.values.code.trim() }))
      ),
    props.onDone
  )
  return (
    <form onSubmit={onSubmit} novalidate aria-labelledby="second-step-title">
      <h1 id="second-step-title">Code de vérification</h1>
      <p>
        Votre compte fait partie du personnel de Vigie : ouvrez votre application d'authentification et saisissez le
        code à 6 chiffres qu'elle affiche. Sans votre téléphone, saisissez un de vos codes de secours.
      </p>
      <TextField id="code" label="Code de l'application ou code de secours" autocomplete="one-time-code" autofocus
        hint="6 chiffres, ou un code de secours comme 7K3M-9QX2-TA (chacun ne sert qu'une fois)."
        value={form.values.code} onValue={(v) => form.set("code", v)} onBlur={() => form.touch("code")}
        error={form.error("code")} />
      <FormError message={form.formError()} />
      <button type="submit" class="primary" disabled={form.busy()}>
        {form.busy() ? "Vérification…" : "Valider le code"}
      </button>
      <p class="center">
        <button type="button" class="link" onClick={() => props.onRestart()}>Recommencer la connexion</button>
      </p>
    </form>
  )
}

/** Log in with e-mail and password; the server answers with the session cookie (staff: after a second step). */
export const LogInForm = () => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const [challenge, setChallenge] = createSignal<string>()
  const form = createForm({ email: "", password: "" }, { email, password: required("votre mot de passe") })

  const signedIn = (me: Me, mustEnrol: boolean) => {
    session.set(me)
    navigate(afterSignIn(me, mustEnrol), { replace: true })
  }

  const onSubmit = form.submit(
    () =>
      run(
        Effect.gen(function*() {
          const client = yield* Vigie
          const address = yield* Schema.decode(Email)(form.values.email)
          return yield* client.LogIn({ email: address, password: Redacted.make(form.values.password) }).pipe(
            Effect.map((me) => ({ _tag: "SignedIn" as const, me })),
            Effect.catchTag("SecondFactorRequired", (e) =>
              Effect.succeed({ _tag: "SecondStep" as const, challenge: e.challenge }))
          )
        })
      ),
    (result) => {
      // A staff account that gets a session straight away has no second factor yet: it enrols first.
      if (result._tag === "SignedIn") signedIn(result.me, true)
      else setChallenge(result.challenge)
    }
  )

  return (
    <Show when={challenge()} fallback={
      <form onSubmit={onSubmit} novalidate aria-labelledby="login-title">
        <h1 id="login-title">Se connecter</h1>
        <TextField id="email" label="Adresse e-mail" type="email" autocomplete="email" inputmode="email"
          value={form.values.email} onValue={(v) => form.set("email", v)} onBlur={() => form.touch("email")}
          error={form.error("email")} />
        <TextField id="password" label="Mot de passe" type="password" autocomplete="current-password"
          value={form.values.password} onValue={(v) => form.set("password", v)} onBlur={() => form.touch("password")}
          error={form.error("password")} />
        <FormError message={form.formError()} />
        <button type="submit" class="primary" disabled={form.busy()}>
          {form.busy() ? "Connexion…" : "Se connecter"}
        </button>
        <p class="center">
          <A href="/mot-de-passe-oublie">Mot de passe oublié ?</A>
        </p>
        <p class="center">
          Pas encore de compte ? <A href="/inscription">Rejoindre mon quartier</A>
        </p>
        <p class="center">
          <A href="/inscrit-sur-papier">J'ai été inscrit(e) sur papier</A>
        </p>
      </form>
    }>
      {(c) => (
        <SecondStep challenge={c()} onDone={(me) => signedIn(me, false)} onRestart={() => setChallenge(undefined)} />
      )}
    </Show>
  )
}

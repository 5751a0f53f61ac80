import { A, useNavigate } from "@solidjs/router"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Redacted, Schema } from "effect"
import { TextField, FormError } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { email, required } from "../../lib/validation.js"
import { useSession } from "./Session.js"

/** Log in with e-mail and password; the server answers with the session cookie. */
export const LogInForm = () => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const form = createForm({ email: "", password: "" }, { email, password: required("votre mot de passe") })

  const onSubmit = form.submit(
    () =>
      run(
        Effect.gen(function*() {
          const client = yield* Vigie
          const address = yield* Schema.decode(Email)(form.values.email)
          return yield* client.LogIn({ email: address, password: Redacted.make(form.values.password) })
        })
      ),
    (me) => {
      session.set(me)
      navigate("/", { replace: true })
    }
  )

  return (
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
      <p class="center"><A href="/mot-de-passe-oublie">Mot de passe oublié ?</A></p>
      <p class="center">
        Pas encore de compte ? <A href="/inscription">Rejoindre mon quartier</A>
      </p>
    </form>
  )
}

import { A, useNavigate } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { Postcode } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import type { ClaimChannel, PaperNeighbourRegistered } from "@vigie/domain/registration/PaperRegistration"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Option, Redacted, Schema } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { FieldError, FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import {
  activationCode,
  email,
  first,
  maxLength,
  optionalPhone,
  password,
  phone,
  postcode,
  required,
  smsCode
} from "../../lib/validation.js"
import { useSession } from "../session/Session.js"

const optional = (v: string) => (v.trim() === "" ? Option.none() : Option.some(v.trim()))

/**
 * Whether a typed French number looks like a landline (01 to 05, 09; +33 or 0033 accepted): only to
 * tick « Appel vocal pour les alertes urgentes » by default. The server classifies the number itself.
 */
export const looksLikeLandline = (typed: string): boolean => {
  const digits = typed.replace(/[\s.\-()]/g, "")
  const national = digits.startsWith("+33") ? `0${digits.slice(3)}` : digits.startsWith("0033")
    ? `0${digits.slice(4)}`
    : digits
  return /^0[1-59][0-9]{8}$/.test(national)
}

/** What the neighbour receives, said the same way before and after the registration. */
const WhatTheyReceive = () => (
  <div class="notice" id="paper-what-they-receive">
    <p>
      <strong>Ce que le voisin reçoit :</strong> avec un{" "}
      <strong>portable</strong>, chaque alerte du quartier par SMS, comme les autres membres (pas d'e-mail). Avec un
      {" "}
      <strong>fixe</strong>, aucun SMS : un fixe ne reçoit pas de SMS. S'il le souhaite, les alertes urgentes lui
      arrivent par un appel vocal (la case « Appel vocal pour les alertes urgentes ») ; sinon le numéro reste un contact
      pour vous, et c'est à vous de le prévenir par téléphone.
    </p>
    <p>
      Plus tard, s'il le souhaite, il pourra créer son accès en ligne depuis la page « J'ai été inscrit(e) sur papier »
      avec un code reçu par SMS (sur un portable) ou par courrier à l'adresse inscrite (avec un fixe).
    </p>
  </div>
)

/**
 * "Inscrire un voisin sans internet": a référent of the quartier or a mairie agent of its commune
 * registers a neighbour from the signed paper form. The neighbour is verified at once (the one who
 * registers vouches for the address); the consent box is required.
 */
export const PaperNeighbourForm = (props: { readonly communities: ReadonlyArray<Community> }) => {
  const run = useRun()
  const [done, setDone] = createSignal<{ readonly name: string; readonly result: PaperNeighbourRegistered }>()
  /** The référent's own choice for the voice box; until they make one, it follows the number (a landline: ticked). */
  const [voiceChoice, setVoiceChoice] = createSignal<boolean>()
  const voiceUrgent = () => voiceChoice() ?? looksLikeLandline(form.values.phone)
  const blank = {
    community: props.communities.length === 1 ? props.communities[0]!.id : "",
    firstName: "",
    lastName: "",
    line1: "",
    line2: "",
    postcode: "",
    city: "",
    phone: "",
    consent: ""
  }
  const form = createForm(blank, {
    community: required("le quartier du voisin"),
    firstName: first(required("le prénom du voisin"), maxLength(80)),
    lastName: first(required("le nom du voisin"), maxLength(80)),
    line1: first(required("le numéro et la rue"), maxLength(200)),
    line2: maxLength(200),
    postcode,
    city: first(required("la commune"), maxLength(120)),
    phone: (v) => (v.trim() === "" ? "Indiquez le numéro du voisin (portable ou fixe)." : phone(v)),
    consent: (v) => (v === "yes" ? undefined : "Cochez la case : sans l'accord écrit du voisin, rien n'est enregistré.")
  })

  const onSubmit = form.submit(
    () =>
      run(Effect.gen(function*() {
        const client = yield* Vigie
        const v = form.values
        const communityId = props.communities.find((c) => c.id === v.community)?.id
        if (communityId === undefined) return yield* Effect.dieMessage("no community chosen")
        return yield* client.RegisterPaperNeighbour({
          communityId,
          firstName: v.firstName.trim(),
          lastName: v.lastName.trim(),
          address: new HomeAddress({
            line1: v.line1.trim(),
            line2: optional(v.line2),
            postcode: yield* Schema.decode(Postcode)(v.postcode.trim()),
            city: v.city.trim(),
            location: Option.none()
          }),
          phone: v.phone.trim(),
          consent: v.consent === "yes",
          voiceUrgent: voiceUrgent()
        })
      })),
    (result) => setDone({ name: `${form.values.firstName.trim()} ${form.values.lastName.trim()}`, result })
  )

  const again = () => {
    for (const [field, value] of Object.entries(blank)) form.set(field as keyof typeof blank, value)
    setVoiceChoice(undefined)
    setDone(undefined)
  }

  return (
    <Show when={done()}
      fallback={
        <form onSubmit={onSubmit} novalidate aria-labelledby="paper-title" aria-describedby="paper-what-they-receive">
          <h1 id="paper-title">Inscrire un voisin sans internet</h1>
          <p>
            Recopiez le formulaire papier signé par le voisin. Vous confirmez ainsi son adresse : il devient membre
            vérifié du quartier dès l'enregistrement. Aucune adresse e-mail n'est nécessaire.
          </p>
          <WhatTheyReceive />
          <Show when={props.communities.length > 1} fallback={
            <p>
              Quartier : <strong>{props.communities[0]?.name}</strong>
            </p>
          }>
            <div class="field" classList={{ invalid: form.error("community") !== undefined }}>
              <label for="community">Quartier du voisin</label>
              <select id="community" name="community" value={form.values.community} onChange={(e) =>
                form.set("community", e.currentTarget.value)} onBlur={() =>
                form.touch("community")} aria-invalid={form.error("community") !== undefined}
                aria-describedby={form.error("community") === undefined ? undefined : "community-error"}
              >
                <option value="">Choisir…</option>
                <For each={props.communities}>{(c) => <option value={c.id}>{c.name}</option>}</For>
              </select>
              <FieldError id="community" error={form.error("community")} />
            </div>
          </Show>
          <TextField id="firstName" label="Prénom" autocomplete="off" value={form.values.firstName} onValue={(v) =>
            form.set("firstName", v)} onBlur={() =>
            form.touch("firstName")} error={form.error("firstName")} />
          <TextField id="lastName" label="Nom" autocomplete="off" value={form.values.lastName} onValue={(v) =>
            form.set("lastName", v)} onBlur={() =>
            form.touch("lastName")} error={form.error("lastName")} />
          <TextField id="line1" label="Numéro et rue" autocomplete="off" value={form.values.line1} onValue={(v) =>
            form.set("line1", v)} onBlur={() =>
            form.touch("line1")} error={form.error("line1")} />
          <TextField id="line2" label="Complément d'adresse (facultatif)" autocomplete="off" value={form.values.line2}
            onValue={(v) => form.set("line2", v)} onBlur={() => form.touch("line2")} error={form.error("line2")} />
          <TextField id="postcode" label="Code postal" inputmode="numeric" autocomplete="off"
            value={form.values.postcode} onValue={(v) => form.set("postcode", v)} onBlur={() => form.touch("postcode")}
            error={form.error("postcode")} />
          <TextField id="city" label="Commune" autocomplete="off" value={form.values.city} onValue={(v) =>
            form.set("city", v)} onBlur={() => form.touch("city")} error={form.error("city")} />
          <TextField id="phone" label="Téléphone du voisin (portable ou fixe)" type="tel" inputmode="tel"
            autocomplete="off"
            hint="Un portable reçoit les alertes par SMS ; un fixe peut recevoir les alertes urgentes par appel vocal."
            value={form.values.phone} onValue={(v) => form.set("phone", v)} onBlur={() => form.touch("phone")}
            error={form.error("phone")} />
          <div class="field">
            <label class="choice">
              <input type="checkbox" id="voiceUrgent" name="voiceUrgent" checked={voiceUrgent()} onChange={(e) =>
                setVoiceChoice(e.currentTarget.checked)} aria-describedby="voiceUrgent-hint" />
              <span>Appel vocal pour les alertes urgentes</span>
            </label>
            <p class="hint" id="voiceUrgent-hint">
              Un appel au numéro ci-dessus lit chaque alerte urgente du quartier. Cochée d'office pour un fixe, qui ne
              reçoit pas de SMS.
            </p>
          </div>
          <div class="field" classList={{ invalid: form.error("consent") !== undefined }}>
            <label class="choice">
              <input type="checkbox" id="consent" name="consent" checked={form.values.consent === "yes"}
                onChange={(e) => form.set("consent", e.currentTarget.checked ? "yes" : "")}
                aria-invalid={form.error("consent") !== undefined}
                aria-describedby={form.error("consent") === undefined ? undefined : "consent-error"} />
              <span>
                Le voisin a coché et signé sur le formulaire papier son accord pour recevoir les alertes du quartier et
                pour que Vigie conserve ces informations.
              </span>
            </label>
            <FieldError id="consent" error={form.error("consent")} />
          </div>
          <FormError message={form.formError()} />
          <button type="submit" class="primary" disabled={form.busy()}>
            {form.busy() ? "Enregistrement…" : "Inscrire ce voisin"}
          </button>
        </form>
      }
    >
      {(d) => (
        <section aria-labelledby="paper-done-title">
          <h1 id="paper-done-title">Inscrire un voisin sans internet</h1>
          <div class="notice success" role="status">
            <p>
              <strong>{d().name} est inscrit(e) et vérifié(e).</strong>{" "}
              <Show when={d().result.smsAlerts} fallback={
                <Show when={d().result.voiceAlerts} fallback={
                  <>
                    Son numéro est un fixe : il ne recevra pas les alertes automatiquement. Pensez à le prévenir par
                    téléphone.
                  </>
                }>
                  Son numéro est un fixe : les alertes urgentes lui arriveront par appel vocal, les autres non. Pensez à
                  le prévenir par téléphone.
                </Show>
              }>
                Les alertes du quartier lui arriveront par SMS.
                <Show when={d().result.voiceAlerts}>{" "}Les alertes urgentes aussi par appel vocal.</Show>
              </Show>
            </p>
            <p>Gardez le formulaire papier signé : il prouve son accord.</p>
          </div>
          <button type="button" class="secondary" onClick={again}>Inscrire un autre voisin</button>
        </section>
      )}
    </Show>
  )
}

/** The quartiers where `me` may register a neighbour: those they are a verified référent of, and their commune's. */
const ownQuartiers = (me: Me): ReadonlyArray<Community> =>
  me.memberships.filter((m) => m.membership.role === "referent" && m.membership.status === "verified")
    .map((m) => m.community)

/** The route: the référent's quartiers and, for a mairie agent, every active quartier of the commune. */
export const PaperNeighbourPage = (props: { readonly me: Me }) => {
  const run = useRun()
  const [communities] = createResource(async () => {
    const mine = [...ownQuartiers(props.me)]
    for (const role of props.me.account.staffRoles) {
      if (role._tag !== "MairieAgent") continue
      const listed = await run(Effect.flatMap(Vigie, (client) => client.ListCommunities({ insee: role.insee })))
      if (listed.ok) mine.push(...listed.value.filter((c) => !mine.some((m) => m.id === c.id)))
    }
    return mine
  })
  return (
    <Show when={communities()} fallback={<p role="status">Chargement…</p>}>
      {(list) => (
        <Show when={list().length > 0} fallback={
          <section>
            <h1>Inscrire un voisin sans internet</h1>
            <p>
              Cette page est réservée aux référents d'un quartier et aux agents de la mairie.{" "}
              <A href="/">Retour au fil</A>
            </p>
          </section>
        }>
          <PaperNeighbourForm communities={list()} />
        </Show>
      )}
    </Show>
  )
}

/**
 * "J'ai été inscrit(e) sur papier": the neighbour (or someone helping them) gives the phone the
 * référent registered, chooses to receive the code by SMS (a mobile) or by letter at home (a
 * landline, or on request), types the code, and chooses an e-mail and a password: signed in. A
 * neighbour who already holds a letter goes straight to the code.
 */
export const ClaimAccountPage = () => {
  const run = useRun()
  const session = useSession()
  const navigate = useNavigate()
  const [by, setBy] = createSignal<ClaimChannel>("sms")
  const [sentTo, setSentTo] = createSignal<
    { readonly phone: string; readonly by: ClaimChannel; readonly minutes: number | undefined }
  >()
  const anyPhone = first(required("le numéro de téléphone donné sur le formulaire"), optionalPhone)
  const ask = createForm({ phone: "" }, { phone: (v) => (by() === "sms" ? phone : anyPhone)(v) })
  const claim = createForm({ code: "", email: "", password: "" }, {
    code: (v) => (sentTo()?.by === "letter" ? activationCode(v) : smsCode(v)),
    email,
    password
  })

  const onAsk = ask.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) => client.RequestAccountClaim({ phone: ask.values.phone.trim(), by: by() }))),
    (answer) => setSentTo({ phone: ask.values.phone.trim(), by: answer.channel, minutes: answer.validMinutes })
  )
  const phoneLabel = () =>
    by() === "sms"
      ? "Le numéro de portable donné sur le formulaire"
      : "Le numéro de téléphone (fixe ou portable) donné sur le formulaire"
  /** A letter already received: straight to the code, once the number looks right. */
  const alreadyHaveLetter = () => {
    ask.touch("phone")
    if (ask.error("phone") !== undefined) {
      document.getElementById("phone")?.focus()
      return
    }
    setSentTo({ phone: ask.values.phone.trim(), by: "letter", minutes: undefined })
  }
  const onClaim = claim.submit(
    () =>
      run(Effect.gen(function*() {
        const client = yield* Vigie
        const sent = sentTo()!
        return yield* client.ClaimAccount({
          phone: sent.phone,
          code: sent.by === "letter" ? claim.values.code.trim() : claim.values.code.replace(/\s/g, ""),
          email: yield* Schema.decode(Email)(claim.values.email.trim()),
          password: Redacted.make(claim.values.password)
        })
      })),
    (me) => {
      session.set(me)
      navigate("/", { replace: true })
    }
  )

  return (
    <section aria-labelledby="claim-title">
      <h1 id="claim-title">J'ai été inscrit(e) sur papier</h1>
      <p>
        Un référent de votre quartier ou votre mairie vous a inscrit(e) avec un formulaire papier ? Créez votre accès en
        ligne : un code vous est envoyé par SMS au portable que vous aviez donné, ou par courrier à votre domicile si
        vous n'avez qu'un téléphone fixe.
      </p>
      <Show when={sentTo()} fallback={
        <form onSubmit={onAsk} novalidate aria-label="Recevoir le code">
          <fieldset class="choices" id="claim-by">
            <legend>Comment recevoir le code ?</legend>
            <label class="choice">
              <input type="radio" name="claim-by" checked={by() === "sms"} onChange={() => setBy("sms")} />
              <span>Recevoir le code par SMS</span>
            </label>
            <label class="choice">
              <input type="radio" name="claim-by" checked={by() === "letter"} onChange={() => setBy("letter")} />
              <span>Recevoir le code par courrier (si vous n'avez qu'un téléphone fixe)</span>
            </label>
          </fieldset>
          <TextField id="phone" label={phoneLabel()} type="tel" inputmode="tel" autocomplete="tel"
            value={ask.values.phone} onValue={(v) => ask.set("phone", v)} onBlur={() => ask.touch("phone")}
            error={ask.error("phone")} />
          <Show when={by() === "letter"}>
            <p class="small">
              Le courrier part à l'adresse inscrite sur le formulaire papier. Comptez quelques jours ; son code reste
              valable 30 jours.
            </p>
          </Show>
          <FormError message={ask.formError()} />
          <button type="submit" class="primary" disabled={ask.busy()}>
            {ask.busy() ? "Envoi…" : by() === "sms" ? "Recevoir le code par SMS" : "Recevoir le code par courrier"}
          </button>
          <Show when={by() === "letter"}>
            <p class="center">
              <button type="button" class="link" onClick={alreadyHaveLetter}>
                J'ai déjà reçu mon code par courrier
              </button>
            </p>
          </Show>
        </form>
      }>
        {(sent) => (
          <form onSubmit={onClaim} novalidate aria-label="Créer mon accès">
            <p role="status">
              <Show when={sent().by === "letter"} fallback={
                <>
                  Si ce numéro a été inscrit sur papier, un code vient de partir par SMS vers le{" "}
                  {sent().phone}. Il est valable {sent().minutes} minutes.
                </>
              }>
                <Show when={sent().minutes !== undefined}
                  fallback={<>Saisissez le code imprimé sur le courrier reçu pour le {sent().phone}.</>}
                >
                  Si ce numéro a été inscrit sur papier, un courrier avec votre code part à l'adresse inscrite sur le
                  formulaire. Comptez quelques jours ; le code sera valable{" "}
                  {Math.round((sent().minutes ?? 0) / (24 * 60))}{" "}
                  jours. Revenez sur cette page quand vous l'aurez reçu et choisissez « J'ai déjà reçu mon code par
                  courrier ».
                </Show>
              </Show>
            </p>
            <TextField id="code" label={sent().by === "letter" ? "Code reçu par courrier" : "Code reçu par SMS"}
              inputmode={sent().by === "letter" ? "text" : "numeric"} autocomplete="one-time-code"
              autocapitalize={sent().by === "letter" ? "characters" : undefined} value={claim.values.code}
              onValue={(v) => claim.set("code", v)} onBlur={() => claim.touch("code")} error={claim.error("code")} />
            <TextField id="email" label="Mon adresse e-mail" type="email" inputmode="email" autocomplete="email"
              value={claim.values.email} onValue={(v) => claim.set("email", v)} onBlur={() => claim.touch("email")}
              error={claim.error("email")} />
            <TextField id="password" label="Mon mot de passe" type="password" autocomplete="new-password"
              hint="Au moins 12 caractères variés, ou une phrase de passe." value={claim.values.password}
              onValue={(v) => claim.set("password", v)} onBlur={() => claim.touch("password")}
              error={claim.error("password")} />
            <FormError message={claim.formError()} />
            <button type="submit" class="primary" disabled={claim.busy()}>
              {claim.busy() ? "Création…" : "Créer mon accès"}
            </button>
            <p class="center">
              <button type="button" class="link" onClick={() => setSentTo(undefined)}>Recevoir un nouveau code</button>
            </p>
          </form>
        )}
      </Show>
    </section>
  )
}

import type { Me } from "@vigie/domain/accounts/Me"
import type {
  PaperNeighbour,
  VeilleDay,
  VeilleEvent,
  VeilleId,
  VeilleView,
  WatchedPerson
} from "@vigie/domain/checkin/Veille"
import type { AccountId, CommunityId } from "@vigie/domain/shared/Ids"
import { DateTime, Effect, Option } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { EmergencyReminder, FormError, TextField } from "../../components/Field.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

const dayLabels: ReadonlyArray<readonly [VeilleDay, string]> = [
  [1, "Lundi"],
  [2, "Mardi"],
  [3, "Mercredi"],
  [4, "Jeudi"],
  [5, "Vendredi"],
  [6, "Samedi"],
  [7, "Dimanche"]
]

const paris = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  weekday: "long",
  day: "numeric",
  month: "long",
  hour: "2-digit",
  minute: "2-digit"
})
const when = (at: DateTime.Utc) => paris.format(DateTime.toDate(at))

const phaseLabels: Record<string, string> = {
  asked: "message envoyé, en attente de réponse",
  reminded: "rappel envoyé, en attente de réponse",
  veilleurs: "veilleurs prévenus",
  owned: "un veilleur y va",
  referent: "référent prévenu",
  ccas: "service social prévenu",
  closed: "close"
}
const outcomeLabels: Record<string, string> = {
  ok: "tout va bien",
  late_ok: "tout va bien (réponse tardive)",
  urgent: "urgence signalée",
  unanswered: "sans réponse",
  stopped: "veille arrêtée"
}
const lastLabel = (
  last: Option.Option<{ readonly at: DateTime.Utc; readonly phase: string; readonly outcome: Option.Option<string> }>
) =>
  Option.match(last, {
    onNone: () => "Aucune veille encore.",
    onSome: (l) =>
      `${when(l.at)} : ${
        Option.match(l.outcome, { onNone: () => phaseLabels[l.phase] ?? l.phase, onSome: (o) => outcomeLabels[o] ?? o })
      }`
  })

/** Every recorded step of a veille, newest first, with its time and who acted. */
const History = (props: { readonly veilleId: VeilleId }) => {
  const run = useRun()
  const [events] = createResource(() =>
    run(Effect.flatMap(Vigie, (c) => c.GetVeilleHistory({ veilleId: props.veilleId })))
  )
  return (
    <section aria-labelledby={`history-${props.veilleId}`}>
      <h3 id={`history-${props.veilleId}`}>Historique</h3>
      <Show when={events()} fallback={<p aria-busy="true">Chargement…</p>} keyed>
        {(outcome) => {
          return outcome.ok
            ? (
              <ol class="veille-history">
                <For each={outcome.value as ReadonlyArray<VeilleEvent>}>
                  {(e) => (
                    <li>
                      <time datetime={DateTime.formatIso(e.at)}>{when(e.at)}</time> — {e.text}{" "}
                      <span class="hint">({e.actor})</span>
                    </li>
                  )}
                </For>
              </ol>
            )
            : <p class="form-error" role="alert">{outcome.failure.message}</p>
        }}
      </Show>
    </section>
  )
}

/** Sets an absence (from, to) on a veille: no check-in meanwhile. */
const AbsenceForm = (props: { readonly veilleId: VeilleId; readonly onDone: () => void }) => {
  const run = useRun()
  const [from, setFrom] = createSignal("")
  const [to, setTo] = createSignal("")
  const [error, setError] = createSignal<string>()
  const [saved, setSaved] = createSignal(false)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const outcome = await run(
      Effect.flatMap(Vigie, (c) => c.SetVeilleAbsence({ veilleId: props.veilleId, from: from(), to: to() }))
    )
    if (!outcome.ok) return setError(outcome.failure.message)
    setError(undefined)
    setSaved(true)
    props.onDone()
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Signaler une absence" novalidate>
      <h3>Une absence</h3>
      <TextField id={`absence-from-${props.veilleId}`} label="Du" type="date" value={from()} onValue={setFrom} />
      <TextField id={`absence-to-${props.veilleId}`} label="Au (inclus)" type="date" value={to()} onValue={setTo} />
      <FormError message={error()} />
      <Show when={saved()}>
        <p class="notice success" role="status">Absence enregistrée : pas de veille pendant ces jours.</p>
      </Show>
      <button type="submit" class="secondary">Enregistrer l'absence</button>
    </form>
  )
}

/** A veille as the person or whoever manages it sees it: schedule, veilleurs, absences, history, stop. */
const VeilleDetails = (props: { readonly veille: VeilleView; readonly onChange: () => void }) => {
  const run = useRun()
  const [error, setError] = createSignal<string>()
  const stop = async () => {
    if (!window.confirm("Arrêter cette veille ?")) return
    const outcome = await run(Effect.flatMap(Vigie, (c) => c.StopVeille({ veilleId: props.veille.id })))
    if (!outcome.ok) return setError(outcome.failure.message)
    props.onChange()
  }
  const statusLabel = { invited: "invité, pas encore de réponse", accepted: "a accepté", withdrawn: "s'est retiré" }
  return (
    <article class="card veille" aria-labelledby={`veille-${props.veille.id}`}>
      <h2 id={`veille-${props.veille.id}`}>Veille de {props.veille.personName}</h2>
      <p>
        <strong>{props.veille.schedule}</strong>, {props.veille.channel === "sms" ? "par SMS" : "par appel vocal"}.
      </p>
      <p>
        Prochaine veille : {Option.match(props.veille.nextCheckIn, { onNone: () => "aucune prévue", onSome: when })}
        <br />
        Dernière veille : {lastLabel(props.veille.lastCheckIn)}
      </p>
      <Show when={props.veille.status === "pending"}>
        <p class="notice" role="status">
          En attente de l'accord de {props.veille.personName}{" "}
          : un SMS lui a été envoyé (réponse OUI ou NON). Aucune veille n'a lieu avant son accord.
        </p>
      </Show>
      <p class="hint">
        Consentement {props.veille.status === "pending" ? "demandé par SMS" : props.veille.consentMethod === "paper"
          ? "signé sur papier"
          : props.veille.consentMethod === "sms"
          ? "donné par SMS"
          : "donné sur le web"}, enregistré par {props.veille.consentBy} le {when(props.veille.consentAt)}.
      </p>
      <h3>Voisins veilleurs</h3>
      <ul>
        <For each={props.veille.veilleurs}>
          {(v) => <li>{v.name} : {statusLabel[v.status]}</li>}
        </For>
      </ul>
      <Show when={props.veille.absences.length > 0}>
        <h3>Absences</h3>
        <ul>
          <For each={props.veille.absences}>{(a) => <li>du {a.from} au {a.to}</li>}</For>
        </ul>
      </Show>
      <AbsenceForm veilleId={props.veille.id} onDone={props.onChange} />
      <History veilleId={props.veille.id} />
      <FormError message={error()} />
      <button type="button" class="danger" onClick={() => void stop()}>Arrêter la veille</button>
    </article>
  )
}

/**
 * The setup form: days, time, channel, veilleurs, address shared; for someone else, how they consent:
 * a signed paper form on file, or asked by SMS (the veille waits for their OUI).
 */
export const SetupForm = (props: {
  readonly person?: AccountId | undefined
  readonly personName: string
  readonly communityId: CommunityId
  readonly landline?: boolean
  readonly onDone: () => void
}) => {
  const run = useRun()
  const [candidates] = createResource(() =>
    run(
      Effect.flatMap(Vigie, (c) => c.ListVeilleurCandidates(props.person === undefined ? {} : { person: props.person }))
    )
  )
  const [days, setDays] = createSignal<ReadonlyArray<VeilleDay>>([1, 2, 3, 4, 5, 6, 7])
  const [time, setTime] = createSignal("10:00")
  const [channel, setChannel] = createSignal<"sms" | "voice">(props.landline === true ? "voice" : "sms")
  const [veilleurs, setVeilleurs] = createSignal<ReadonlyArray<AccountId>>([])
  const [shareAddress, setShareAddress] = createSignal(true)
  const [consent, setConsent] = createSignal<"paper" | "sms" | undefined>(undefined)
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const toggle = <A,>(list: ReadonlyArray<A>, item: A, on: boolean) =>
    on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    const outcome = await run(Effect.flatMap(Vigie, (c) =>
      c.SetupVeille({
        ...(props.person === undefined ? {} : { person: props.person }),
        communityId: props.communityId,
        days: [...days()],
        time: time(),
        channel: channel(),
        veilleurs: [...veilleurs()],
        shareAddress: shareAddress(),
        paperConsent: consent() === "paper",
        ...(consent() === "sms" ? { smsConsent: true } : {})
      })))
    setBusy(false)
    if (!outcome.ok) return setError(outcome.failure.message)
    setError(undefined)
    props.onDone()
  }
  const id = props.person ?? "moi"
  return (
    <form onSubmit={(e) => void submit(e)} novalidate aria-labelledby={`setup-${id}`}>
      <h2 id={`setup-${id}`}>Mettre en place une veille pour {props.personName}</h2>
      <fieldset class="choices">
        <legend>Les jours</legend>
        <For each={dayLabels}>
          {([day, label]) => (
            <label class="choice">
              <input type="checkbox" checked={days().includes(day)}
                onChange={(e) => setDays((d) => toggle(d, day, e.currentTarget.checked))} />
              <span>{label}</span>
            </label>
          )}
        </For>
      </fieldset>
      <TextField id={`setup-time-${id}`} label="L'heure (heure de Paris)" type="time" value={time()} onValue={setTime}
        hint="Entre 2 h et 3 h, l'heure n'existe pas tous les jours (changement d'heure)." />
      <fieldset class="choices">
        <legend>Comment prendre des nouvelles</legend>
        <label class="choice">
          <input type="radio" name={`channel-${id}`} checked={channel() === "sms"} onChange={() => setChannel("sms")} />
          <span>Par SMS (un téléphone portable)</span>
        </label>
        <label class="choice">
          <input type="radio" name={`channel-${id}`} checked={channel() === "voice"}
            onChange={() => setChannel("voice")} />
          <span>Par appel vocal (un fixe ou un portable)</span>
        </label>
      </fieldset>
      <fieldset class="choices">
        <legend>Les voisins veilleurs (de 1 à 5)</legend>
        <Show when={candidates()} fallback={<p aria-busy="true">Chargement…</p>} keyed>
          {(outcome) => {
            return outcome.ok
              ? (
                <For each={outcome.value} fallback={<p>Aucun autre membre vérifié dans le quartier.</p>}>
                  {(c) => (
                    <label class="choice">
                      <input type="checkbox" checked={veilleurs().includes(c.accountId)}
                        onChange={(e) => setVeilleurs((v) => toggle(v, c.accountId, e.currentTarget.checked))} />
                      <span>{c.name}</span>
                    </label>
                  )}
                </For>
              )
              : <p class="form-error" role="alert">{outcome.failure.message}</p>
          }}
        </Show>
      </fieldset>
      <label class="switch">
        <input type="checkbox" checked={shareAddress()} onChange={(e) => setShareAddress(e.currentTarget.checked)} />
        <span>Les veilleurs peuvent voir l'adresse (pour passer voir la personne)</span>
      </label>
      <Show when={props.person !== undefined}>
        <fieldset class="choices">
          <legend>L'accord de {props.personName}</legend>
          <label class="choice">
            <input type="radio" name={`consent-${id}`} checked={consent() === "paper"}
              onChange={() => setConsent("paper")} />
            <span>La personne a signé son accord sur papier ; je le conserve</span>
          </label>
          <label class="choice">
            <input type="radio" name={`consent-${id}`} checked={consent() === "sms"} onChange={() => setConsent("sms")}
              aria-describedby={`consent-sms-hint-${id}`} />
            <span>Lui demander par SMS</span>
          </label>
          <p class="hint" id={`consent-sms-hint-${id}`}>
            Elle reçoit un SMS et répond OUI pour accepter, NON pour refuser ; la veille commence à son accord. Il faut
            un téléphone portable.
          </p>
        </fieldset>
      </Show>
      <FormError message={error()} />
      <button type="submit" class="primary" disabled={busy()}>Mettre en place la veille</button>
    </form>
  )
}

/** One person I watch over: name, shared address, last check-in; accept, J'y vais, tout va bien, urgence. */
const Watched = (props: { readonly person: WatchedPerson; readonly onChange: () => void }) => {
  const run = useRun()
  const [error, setError] = createSignal<string>()
  const [done, setDone] = createSignal<string>()
  const act = async (effect: Effect.Effect<unknown, unknown, Vigie>, message: string) => {
    const outcome = await run(effect)
    if (!outcome.ok) return setError(outcome.failure.message)
    setError(undefined)
    setDone(message)
    props.onChange()
  }
  const veilleId = props.person.veilleId
  return (
    <article class="card" aria-labelledby={`watched-${veilleId}`}>
      <h3 id={`watched-${veilleId}`}>{props.person.name}</h3>
      <Show when={Option.getOrUndefined(props.person.address)}>{(address) => <p>{address()}</p>}</Show>
      <p>Dernière veille : {lastLabel(props.person.lastCheckIn)}</p>
      <Show when={props.person.myStatus === "invited"}>
        <button type="button" class="primary" onClick={() =>
          void act(
            Effect.flatMap(Vigie, (c) => c.AnswerVeilleInvitation({ veilleId, accept: true })),
            "Merci, vous êtes voisin veilleur."
          )}
        >
          J'accepte de veiller
        </button>
      </Show>
      <Show when={props.person.myStatus === "accepted"}>
        <div class="actions">
          <button type="button" class="primary" onClick={() =>
            void act(
              Effect.flatMap(Vigie, (c) => c.RespondToVeille({ veilleId, answer: "going" })),
              "C'est noté : vous y allez."
            )}
          >
            J'y vais
          </button>
          <button type="button" class="secondary" onClick={() =>
            void act(
              Effect.flatMap(Vigie, (c) => c.RespondToVeille({ veilleId, answer: "ok" })),
              "Merci : tout va bien."
            )}
          >
            Tout va bien
          </button>
          <button type="button" class="danger" onClick={() =>
            void act(
              Effect.flatMap(Vigie, (c) => c.RespondToVeille({ veilleId, answer: "urgent" })),
              "Urgence notée : appelez le 15 ou le 112 maintenant. Le référent est prévenu."
            )}
          >
            Urgence
          </button>
        </div>
        <button type="button" class="link" onClick={() =>
          void act(
            Effect.flatMap(Vigie, (c) => c.AnswerVeilleInvitation({ veilleId, accept: false })),
            "Vous ne veillez plus sur cette personne."
          )}
        >
          Je ne peux plus veiller
        </button>
        <History veilleId={veilleId} />
      </Show>
      <FormError message={error()} />
      <Show when={done()}>
        <p class="notice success" role="status">{done()}</p>
      </Show>
    </article>
  )
}

/** A neighbour registered on paper, for the référent or the mairie: the veille, or the form to set one up. */
const PaperNeighbourVeille = (props: { readonly neighbour: PaperNeighbour }) => {
  const run = useRun()
  const [veille, { refetch }] = createResource(() =>
    run(Effect.flatMap(Vigie, (c) => c.GetVeille({ person: props.neighbour.accountId })))
  )
  return (
    <Show when={veille()} fallback={<p aria-busy="true">Chargement…</p>} keyed>
      {(outcome) => {
        if (!outcome.ok) return <p class="form-error" role="alert">{outcome.failure.message}</p>
        return Option.match(outcome.value, {
          onNone: () => (
            <SetupForm person={props.neighbour.accountId} personName={props.neighbour.name}
              communityId={props.neighbour.communityId} landline={props.neighbour.phoneKind === "landline"}
              onDone={() => void refetch()} />
          ),
          onSome: (v) => <VeilleDetails veille={v} onChange={() => void refetch()} />
        })
      }}
    </Show>
  )
}

/**
 * La veille bienveillante: my own veille (or the form to set one up), the people I watch over, and for
 * référents and mairie agents the neighbours registered on paper.
 */
export const VeillePage = (props: { readonly me: Me }) => {
  const run = useRun()
  const [mine, { refetch: refetchMine }] = createResource(() => run(Effect.flatMap(Vigie, (c) => c.GetVeille({}))))
  const [watched, { refetch: refetchWatched }] = createResource(() =>
    run(Effect.flatMap(Vigie, (c) => c.ListWatched({})))
  )
  const [paper] = createResource(() => run(Effect.flatMap(Vigie, (c) => c.ListPaperNeighbours({}))))
  const [chosen, setChosen] = createSignal<AccountId>()
  const [openOwn, setOpenOwn] = createSignal(false)
  const home = () => props.me.memberships.find((m) => m.membership.status === "verified")
  return (
    <section class="veille-page" aria-labelledby="veille-title">
      <h1 id="veille-title">Veille bienveillante</h1>
      <p>
        Un message à l'heure choisie pour prendre des nouvelles d'une personne isolée. Sans réponse, ses voisins
        veilleurs sont prévenus, puis le référent. La police n'est jamais prévenue automatiquement.
      </p>
      <EmergencyReminder />
      <section aria-labelledby="watched-title">
        <h2 id="watched-title">Je veille sur</h2>
        <Show when={watched()} fallback={<p aria-busy="true">Chargement…</p>} keyed>
          {(outcome) => {
            return outcome.ok
              ? (
                <For each={outcome.value} fallback={<p>Personne pour l'instant.</p>}>
                  {(p) => <Watched person={p} onChange={() => void refetchWatched()} />}
                </For>
              )
              : <p class="form-error" role="alert">{outcome.failure.message}</p>
          }}
        </Show>
      </section>
      <Show when={paper()?.ok === true && (paper() as { value: ReadonlyArray<PaperNeighbour> }).value.length > 0}>
        <section aria-labelledby="paper-title">
          <h2 id="paper-title">Voisins inscrits sur papier</h2>
          <label for="paper-choice">Choisir un voisin</label>
          <select id="paper-choice" onChange={(e) => setChosen(e.currentTarget.value as AccountId)}>
            <option value="">—</option>
            <For each={(paper() as { value: ReadonlyArray<PaperNeighbour> }).value}>
              {(n) => <option value={n.accountId}>{n.name}{n.hasVeille ? " (veille en place)" : ""}</option>}
            </For>
          </select>
          <For
            each={(paper() as { value: ReadonlyArray<PaperNeighbour> }).value.filter((n) => n.accountId === chosen())}
          >
            {(n) => <PaperNeighbourVeille neighbour={n} />}
          </For>
        </section>
      </Show>
      <section aria-labelledby="mine-title">
        <h2 id="mine-title">Ma veille</h2>
        <Show when={mine()} fallback={<p aria-busy="true">Chargement…</p>} keyed>
          {(outcome) => {
            if (!outcome.ok) return <p class="form-error" role="alert">{outcome.failure.message}</p>
            return Option.match(outcome.value, {
              onSome: (v) => <VeilleDetails veille={v} onChange={() => void refetchMine()} />,
              onNone: () => (
                <Show when={home()} fallback={<p>Rejoignez un quartier pour mettre en place une veille.</p>}>
                  {(m) => (
                    <Show when={openOwn()} fallback={
                      <button type="button" class="secondary" onClick={() => setOpenOwn(true)}>
                        Mettre en place ma propre veille
                      </button>
                    }>
                      <SetupForm personName="vous" communityId={m().community.id} onDone={() =>
                        void refetchMine()} />
                    </Show>
                  )}
                </Show>
              )
            })
          }}
        </Show>
      </section>
    </section>
  )
}

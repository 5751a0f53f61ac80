import { A, useNavigate, useSearchParams } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { PublishedGazettePost, ResidentDetails } from "@vigie/domain/gazette/GazettePost"
import { DateTime, Effect } from "effect"
import { For, Match, Show, Switch, createSignal } from "solid-js"
import type { JSX } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { first, maxLength, required, type Check } from "../../lib/validation.js"
import { verifiedMemberships } from "../session/Session.js"
import { FilePicker, type PickedFile } from "./FilePicker.js"
import { parisDayToUtc, parisLocalToUtc, utcToParisDay, utcToParisLocal } from "./GazetteDates.js"
import {
  helpLabels,
  kindHints,
  kindLabels,
  meetingLabels,
  offerLabels,
  residentKinds,
  type ResidentKind,
  subjectLabels,
  topicLabels
} from "./GazetteLabels.js"

type Field =
  | "communityId"
  | "kind"
  | "title"
  | "body"
  | "offer"
  | "price"
  | "direction"
  | "help"
  | "from"
  | "to"
  | "departsAt"
  | "seats"
  | "situation"
  | "subject"
  | "where"
  | "seenAt"
  | "topic"
  | "meeting"
  | "heldOn"
  | "startsAt"
  | "endsAt"
  | "place"
  | "capacity"

const dateTime = (what: string, optional = false): Check => (v) =>
  v.trim() === ""
    ? optional ? undefined : `Indiquez ${what}.`
    : parisLocalToUtc(v) === undefined
    ? "Date ou heure invalide."
    : undefined

const day = (what: string): Check => (v) =>
  v.trim() === "" ? `Indiquez ${what}.` : parisDayToUtc(v) === undefined ? "Date invalide." : undefined

const price: Check = (v) =>
  v.trim() === "" || /^\d{1,6}(?:[.,]\d{1,2})?$/.test(v.trim()) ? undefined : "Prix invalide (exemple : 15 ou 12,50)."

const wholeNumber = (min: number, max: number, optional = false): Check => (v) =>
  v.trim() === ""
    ? optional ? undefined : `Indiquez un nombre entre ${min} et ${max}.`
    : /^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max
    ? undefined
    : `Indiquez un nombre entre ${min} et ${max}.`

/**
 * Publish in the Gazette of one of my quartiers: choose the kind, then its own fields, a title, a
 * text, up to 4 photos (and the PDF of a compte-rendu). Every field is checked here first; what
 * only the server knows (a date already passed, a photo refused) comes back next to its field.
 */
export const PublishPost = (props: { readonly me: Me }) => {
  const run = useRun()
  const navigate = useNavigate()
  const [search] = useSearchParams<{ quartier?: string }>()
  const quartiers = verifiedMemberships(props.me).map((m) => m.community)
  const [photos, setPhotos] = createSignal<ReadonlyArray<PickedFile>>([])
  const [attachment, setAttachment] = createSignal<ReadonlyArray<PickedFile>>([])
  const [held, setHeld] = createSignal<PublishedGazettePost>()
  const now = DateTime.unsafeNow()

  const kindIs = (...kinds: ReadonlyArray<ResidentKind>) => kinds.includes(form.values.kind as ResidentKind)
  const when = (kinds: ReadonlyArray<ResidentKind>, check: Check): Check => (v) =>
    kindIs(...kinds) ? check(v) : undefined

  const form: ReturnType<typeof createForm<Field>> = createForm<Field>(
    {
      communityId: quartiers.find((q) => q.id === search.quartier)?.id ?? quartiers[0]?.id ?? "",
      kind: "",
      title: "",
      body: "",
      offer: "donne",
      price: "",
      direction: "offre",
      help: "courses",
      from: "",
      to: "",
      departsAt: "",
      seats: "3",
      situation: "perdu",
      subject: "animal",
      where: "",
      seenAt: utcToParisLocal(now),
      topic: "nouvelle",
      meeting: "reunion_voisins",
      heldOn: utcToParisDay(now),
      startsAt: "",
      endsAt: "",
      place: "",
      capacity: ""
    },
    {
      communityId: required("le quartier"),
      kind: (v) => (v === "" ? "Choisissez ce que vous publiez." : undefined),
      title: (v) => v.trim().length < 3 ? "Donnez un titre (3 caractères au moins)." : maxLength(120)(v),
      body: first(required("le texte"), maxLength(4000)),
      price: when(["annonce"], price),
      from: when(["covoiturage"], first(required("le point de départ"), maxLength(120))),
      to: when(["covoiturage"], first(required("la destination"), maxLength(120))),
      departsAt: when(["covoiturage"], dateTime("la date et l'heure de départ")),
      seats: when(["covoiturage"], wholeNumber(1, 8)),
      where: when(["perdu_trouve"], first(required("le lieu"), maxLength(120))),
      seenAt: when(["perdu_trouve"], dateTime("quand")),
      heldOn: when(["compte_rendu"], day("la date de la réunion")),
      startsAt: when(["evenement"], dateTime("la date et l'heure")),
      endsAt: when(["evenement"], dateTime("la fin", true)),
      place: when(["evenement"], first(required("le lieu"), maxLength(120))),
      capacity: when(["evenement"], wholeNumber(1, 10000, true))
    }
  )
  const [attachmentError, setAttachmentError] = createSignal<string>()

  const details = (): ResidentDetails => {
    const v = form.values
    switch (v.kind as ResidentKind) {
      case "annonce": {
        const cents = v.offer === "vends" && v.price.trim() !== ""
          ? Math.round(Number(v.price.trim().replace(",", ".")) * 100)
          : undefined
        return { _tag: "annonce", offer: v.offer as "donne", ...(cents === undefined ? {} : { priceCents: cents }) }
      }
      case "entraide":
        return { _tag: "entraide", direction: v.direction as "offre", help: v.help as "courses" }
      case "covoiturage":
        return { _tag: "covoiturage", direction: v.direction as "offre", from: v.from.trim(), to: v.to.trim(),
          departsAt: parisLocalToUtc(v.departsAt)!, seats: Number(v.seats) }
      case "perdu_trouve":
        return { _tag: "perdu_trouve", situation: v.situation as "perdu", subject: v.subject as "animal",
          where: v.where.trim(), seenAt: parisLocalToUtc(v.seenAt)! }
      case "vie_du_quartier":
        return { _tag: "vie_du_quartier", topic: v.topic as "nouvelle" }
      case "compte_rendu":
        return { _tag: "compte_rendu", meeting: v.meeting as "reunion_voisins", heldOn: parisDayToUtc(v.heldOn)!,
          attachment: attachment()[0]!.id }
      case "evenement": {
        const endsAt = v.endsAt.trim() === "" ? undefined : parisLocalToUtc(v.endsAt)
        return { _tag: "evenement", startsAt: parisLocalToUtc(v.startsAt)!, place: v.place.trim(),
          ...(endsAt === undefined ? {} : { endsAt }),
          ...(v.capacity.trim() === "" ? {} : { capacity: Number(v.capacity) }) }
      }
    }
  }

  const submit = form.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) =>
        client.PublishGazettePost({
          communityId: form.values.communityId as CommunityId,
          title: form.values.title,
          body: form.values.body,
          photos: photos().map((p) => p.id),
          details: details()
        }))),
    (published) => {
      if (published.post.status === "held_for_review") setHeld(published)
      else navigate(`/gazette/${published.post.id}`)
    }
  )
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault()
    if (form.values.kind === "compte_rendu" && attachment().length === 0) {
      setAttachmentError("Joignez le compte-rendu en PDF.")
      document.getElementById("attachment")?.focus()
      return
    }
    setAttachmentError(undefined)
    void submit()
  }

  const radios = <K extends string>(field: Field, legend: string, labels: Record<K, string>): JSX.Element => (
    <fieldset class="choices inline" id={field}>
      <legend>{legend}</legend>
      <For each={Object.keys(labels) as Array<K>}>
        {(value) => (
          <label class="choice">
            <input type="radio" name={field} value={value} checked={form.values[field] === value}
              onChange={() => form.set(field, value)} />
            <span>{labels[value]}</span>
          </label>
        )}
      </For>
    </fieldset>
  )

  const text = (
    field: Field,
    label: string,
    extra: Partial<{ type: string; hint: string; inputmode: string }> = {}
  ) => (
    <TextField id={field} label={label} value={form.values[field]} onValue={(v) => form.set(field, v)}
      onBlur={() => form.touch(field)} error={form.error(field)} type={extra.type ?? "text"}
      {...(extra.hint === undefined ? {} : { hint: extra.hint })}
      {...(extra.inputmode === undefined ? {} : { inputmode: extra.inputmode as "numeric" })} />
  )

  return (
    <Show when={held()}
      fallback={
        <form onSubmit={onSubmit} novalidate aria-labelledby="publish-title" class="publish-post">
          <h1 id="publish-title">Publier dans la Gazette</h1>
          <Show when={quartiers.length === 0}>
            <p class="notice">
              Seuls les membres vérifiés d'un quartier publient dans sa Gazette. Activez d'abord votre adresse.
            </p>
          </Show>
          <Show when={quartiers.length > 1}>
            <div class="field">
              <label for="communityId">Quartier</label>
              <select id="communityId" value={form.values.communityId}
                onChange={(e) => form.set("communityId", e.currentTarget.value)}
              >
                <For each={quartiers}>{(q) => <option value={q.id}>{q.name}</option>}</For>
              </select>
            </div>
          </Show>
          <fieldset class="choices" id="kind" aria-describedby={form.error("kind") ? "kind-error" : undefined}>
            <legend>Que publiez-vous ?</legend>
            <For each={residentKinds}>
              {(k) => (
                <label class="choice">
                  <input type="radio" name="kind" value={k} checked={form.values.kind === k}
                    onChange={() => form.set("kind", k)} />
                  <span>
                    <strong>{kindLabels[k]}</strong>
                    <span class="hint">{kindHints[k]}</span>
                  </span>
                </label>
              )}
            </For>
            <Show when={form.error("kind")}>
              <p class="error" id="kind-error" role="alert">{form.error("kind")}</p>
            </Show>
          </fieldset>
          <Show when={form.values.kind !== ""}>
            <Switch>
              <Match when={form.values.kind === "annonce"}>
                {radios("offer", "Vous…", offerLabels)}
                <Show when={form.values.offer === "vends"}>
                  {text("price", "Prix en euros (facultatif)", { inputmode: "decimal" })}
                </Show>
              </Match>
              <Match when={form.values.kind === "entraide"}>
                {radios("direction", "Vous…", { offre: "Proposez de l'aide", demande: "Demandez de l'aide" })}
                <div class="field">
                  <label for="help">Pour</label>
                  <select id="help" value={form.values.help} onChange={(e) => form.set("help", e.currentTarget.value)}>
                    <For each={Object.entries(helpLabels)}>
                      {([value, label]) => <option value={value}>{label}</option>}
                    </For>
                  </select>
                </div>
              </Match>
              <Match when={form.values.kind === "covoiturage"}>
                {radios("direction", "Vous…", { offre: "Proposez des places", demande: "Cherchez une place" })}
                {text("from", "Départ")}
                {text("to", "Destination")}
                {text("departsAt", "Date et heure du départ", { type: "datetime-local" })}
                {text("seats", "Nombre de places", { type: "number", inputmode: "numeric" })}
              </Match>
              <Match when={form.values.kind === "perdu_trouve"}>
                {radios("situation", "Vous avez…", { perdu: "Perdu", trouve: "Trouvé" })}
                {radios("subject", "Il s'agit d'un…", subjectLabels)}
                {text("where", "Où ?", { hint: "Une rue, un lieu : pas d'adresse précise de particulier." })}
                {text("seenAt", "Quand ?", { type: "datetime-local" })}
              </Match>
              <Match when={form.values.kind === "vie_du_quartier"}>
                {radios("topic", "C'est…", topicLabels)}
              </Match>
              <Match when={form.values.kind === "compte_rendu"}>
                {radios("meeting", "Compte-rendu d'une…", meetingLabels)}
                {text("heldOn", "Date de la réunion", { type: "date" })}
                <FilePicker id="attachment" kind="pdf" label="Le compte-rendu (PDF)"
                  hint="Un fichier PDF, 10 Mo au plus." files={attachment()} onFiles={(f) => {
                  setAttachmentError(undefined)
                  setAttachment(f)
                }} error={attachmentError()} />
              </Match>
              <Match when={form.values.kind === "evenement"}>
                {text("startsAt", "Début (date et heure)", { type: "datetime-local" })}
                {text("endsAt", "Fin (facultatif)", { type: "datetime-local" })}
                {text("place", "Lieu")}
                {text("capacity", "Nombre de places (facultatif)", { type: "number", inputmode: "numeric",
                  hint: "Laissez vide si le nombre n'est pas limité." })}
              </Match>
            </Switch>
            {text("title", "Titre")}
            <div class="field" classList={{ invalid: form.error("body") !== undefined }}>
              <label for="body">Texte</label>
              <textarea id="body" rows="6" value={form.values.body}
                onInput={(e) => form.set("body", e.currentTarget.value)} onBlur={() => form.touch("body")}
                aria-invalid={form.error("body") !== undefined}
                aria-describedby={form.error("body") ? "body-error" : undefined} />
              <Show when={form.error("body")}>
                <p class="error" id="body-error" role="alert">{form.error("body")}</p>
              </Show>
            </div>
            <FilePicker id="photos" kind="photo" label="Photos (facultatif)"
              hint="Jusqu'à 4 photos (JPEG, PNG ou WebP, 10 Mo au plus chacune). Leur position GPS est retirée."
              files={photos()} onFiles={setPhotos}
              error={form.failure()?.field === "photos" ? form.failure()!.message : undefined} />
          </Show>
          <FormError message={form.formError()} />
          <button type="submit" class="primary big" disabled={form.busy() || quartiers.length === 0}>Publier</button>
          <p class="small">
            Pas de nom, d'adresse ni de description physique d'une personne : la Gazette est lue par tout le quartier.
          </p>
        </form>
      }
    >
      {(published) => (
        <section aria-labelledby="held-title">
          <h1 id="held-title">Publication en attente de relecture</h1>
          <p class="notice" role="status">
            Votre publication « {published().post.title}{" "}
            » sera visible de vos voisins dès qu'un modérateur l'aura relue. Vous serez prévenu(e).
          </p>
          <A class="button secondary" href={`/gazette/${published().post.id}`}>Voir ma publication</A>
          <A class="button secondary" href="/gazette">Retour à la Gazette</A>
        </section>
      )}
    </Show>
  )
}

import { A } from "@solidjs/router"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { PublishedGazettePost } from "@vigie/domain/gazette/GazettePost"
import { Effect } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { formatDate } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { first, maxLength, required } from "../../lib/validation.js"
import type { CommuneStaff } from "../mairie/Staff.js"
import { FilePicker, type PickedFile } from "./FilePicker.js"
import { parisLocalToUtc } from "./GazetteDates.js"

/** "de tous les quartiers de la commune, épinglée jusqu'au 20 décembre 2026". */
const reachText = (done: PublishedGazettePost): string => {
  const d = done.post.details
  if (d._tag !== "communication") return ""
  const where = d.communityIds.length > 0 ? "des quartiers choisis" : "de tous les quartiers de la commune"
  return d.pinnedUntil === undefined ? where : `${where}, épinglée jusqu'au ${formatDate(d.pinnedUntil)}`
}

/**
 * A communication of the mairie in the Gazette: to every quartier of the commune, or to the quartiers
 * chosen; pinned on top of their Gazettes until a date when one is given. Never held for review.
 */
export const MairieCommunication = (props: { readonly staff: CommuneStaff }) => {
  const run = useRun()
  const [quartiers] = createResource(() =>
    run(Effect.flatMap(Vigie, (client) => client.ListManagedCommunities({ insee: props.staff.insee })))
  )
  const [everywhere, setEverywhere] = createSignal(true)
  const [chosen, setChosen] = createSignal<ReadonlySet<CommunityId>>(new Set())
  const [photos, setPhotos] = createSignal<ReadonlyArray<PickedFile>>([])
  const [published, setPublished] = createSignal<PublishedGazettePost>()
  const [targetError, setTargetError] = createSignal<string>()
  const form: ReturnType<typeof createForm<"title" | "body" | "pinnedUntil">> = createForm(
    { title: "", body: "", pinnedUntil: "" },
    {
      title: (v) => (v.trim().length < 3 ? "Donnez un titre (3 caractères au moins)." : maxLength(120)(v)),
      body: first(required("le texte"), maxLength(4000)),
      pinnedUntil: (v) =>
        v.trim() === "" ? undefined : parisLocalToUtc(`${v}T23:59`) === undefined ? "Date invalide." : undefined
    }
  )

  const submit = form.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) =>
        client.PublishMairieCommunication({
          insee: props.staff.insee,
          communityIds: everywhere() ? [] : [...chosen()],
          ...(form.values.pinnedUntil.trim() === ""
            ? {}
            : { pinnedUntil: parisLocalToUtc(`${form.values.pinnedUntil}T23:59`)! }),
          title: form.values.title,
          body: form.values.body,
          photos: photos().map((p) => p.id)
        }))),
    (done) => setPublished(done)
  )
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault()
    if (!everywhere() && chosen().size === 0) {
      setTargetError("Choisissez au moins un quartier, ou toute la commune.")
      document.getElementById("targets")?.focus()
      return
    }
    setTargetError(undefined)
    void submit()
  }
  const toggle = (id: CommunityId, on: boolean) =>
    setChosen((old) => {
      const next = new Set(old)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })

  return (
    <Show when={published()} fallback={
      <form onSubmit={onSubmit} novalidate aria-labelledby="communication-title">
        <p>
          <A href="/mairie">← Tableau de bord</A>
        </p>
        <h1 id="communication-title">Publier une communication dans la Gazette</h1>
        <p>
          Elle paraît dans la Gazette des quartiers choisis. Les habitants qui l'ont demandé la reçoivent aussi par
          e-mail, ou par SMS.
        </p>
        <fieldset class="choices" id="targets" tabindex="-1"
          aria-describedby={targetError() ? "targets-error" : undefined}
        >
          <legend>Destinataires</legend>
          <label class="choice">
            <input type="radio" name="everywhere" checked={everywhere()} onChange={() => setEverywhere(true)} />
            <span>Tous les quartiers de la commune</span>
          </label>
          <label class="choice">
            <input type="radio" name="everywhere" checked={!everywhere()} onChange={() => setEverywhere(false)} />
            <span>Certains quartiers</span>
          </label>
          <Show when={!everywhere()}>
            <Show when={quartiers()} fallback={<p aria-busy="true">Chargement des quartiers…</p>}>
              {(outcome) => (
                <Show when={outcome().ok
                  ? (outcome() as { value: ReadonlyArray<{ community: { id: CommunityId; name: string } }> }).value
                  : undefined} fallback={
                  <p class="form-error" role="alert">
                    {(outcome() as { failure?: { message: string } }).failure?.message}
                  </p>
                }>
                  {(list) => (
                    <For each={list()}>
                      {(q) => (
                        <label class="choice">
                          <input type="checkbox" checked={chosen().has(q.community.id)}
                            onChange={(e) => toggle(q.community.id, e.currentTarget.checked)} />
                          <span>{q.community.name}</span>
                        </label>
                      )}
                    </For>
                  )}
                </Show>
              )}
            </Show>
          </Show>
          <Show when={targetError()}>
            <p class="error" id="targets-error" role="alert">{targetError()}</p>
          </Show>
        </fieldset>
        <TextField id="title" label="Titre" value={form.values.title} onValue={(v) => form.set("title", v)}
          onBlur={() => form.touch("title")} error={form.error("title")} />
        <div class="field" classList={{ invalid: form.error("body") !== undefined }}>
          <label for="body">Texte</label>
          <textarea id="body" rows="8" value={form.values.body} onInput={(e) => form.set("body", e.currentTarget.value)}
            onBlur={() => form.touch("body")} aria-invalid={form.error("body") !== undefined}
            aria-describedby={form.error("body") ? "body-error" : undefined} />
          <Show when={form.error("body")}>
            <p class="error" id="body-error" role="alert">{form.error("body")}</p>
          </Show>
        </div>
        <TextField id="pinnedUntil" type="date" label="Épingler en tête de la Gazette jusqu'au (facultatif)"
          value={form.values.pinnedUntil} onValue={(v) => form.set("pinnedUntil", v)}
          onBlur={() => form.touch("pinnedUntil")} error={form.error("pinnedUntil")} />
        <FilePicker id="photos" kind="photo" label="Photos (facultatif)"
          hint="Jusqu'à 4 photos (JPEG, PNG ou WebP, 10 Mo au plus chacune)." files={photos()} onFiles={setPhotos} />
        <FormError message={form.formError()} />
        <button type="submit" class="primary big" disabled={form.busy()}>Publier la communication</button>
        <Show when={quartiers()?.ok === true
          ? (quartiers() as { value: ReadonlyArray<{ community: { id: CommunityId; name: string } }> }).value
          : undefined}
        >
          {(list) => (
            <section aria-labelledby="print-title">
              <h2 id="print-title">La Gazette sur papier</h2>
              <p>La semaine d'un quartier en grands caractères, pour l'affichage et les voisins sans internet :</p>
              <ul>
                <For each={list()}>
                  {(q) => (
                    <li>
                      <a href={`/gazette/quartiers/${q.community.id}/gazette.pdf`} download="">
                        Imprimer la Gazette de {q.community.name} (PDF)
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          )}
        </Show>
      </form>
    }>
      {(done) => (
        <section aria-labelledby="communication-done">
          <h1 id="communication-done">Communication publiée</h1>
          <p class="notice success" role="status">
            « {done().post.title} » paraît dans la Gazette {reachText(done())}.
          </p>
          <A class="button secondary" href="/mairie">Retour au tableau de bord</A>
        </section>
      )}
    </Show>
  )
}

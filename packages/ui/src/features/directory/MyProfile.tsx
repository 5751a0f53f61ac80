import { A } from "@solidjs/router"
import type { FieldVisibility, Language, ProfileField, Topic, Visibility } from "@vigie/domain/directory/Profile"
import { DEFAULT_VISIBILITY, type ProfileView } from "@vigie/domain/directory/Profile"
import { MAX_OTHER, MAX_PRESENTATION } from "@vigie/domain/directory/ProfilePolicy"
import type { UploadId } from "@vigie/domain/media/Upload"
import { Effect } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { FilePicker, type PickedFile } from "../gazette/FilePicker.js"
import { LANGUAGE_IDS, languageLabel, TOPIC_IDS, topicLabel } from "./DirectoryLabels.js"
import { VisibilityChoice } from "./VisibilityChoice.js"

/** A group of checkboxes over a fixed list (interests, skills, languages). */
const Checklist = <A extends string>(props: {
  readonly legend: string
  readonly name: string
  readonly options: ReadonlyArray<A>
  readonly label: (a: A) => string
  readonly chosen: ReadonlyArray<A>
  readonly onChange: (chosen: ReadonlyArray<A>) => void
}) => (
  <fieldset class="choices checklist">
    <legend>{props.legend}</legend>
    <For each={props.options}>
      {(option) => (
        <label class="choice">
          <input type="checkbox" name={props.name} value={option} checked={props.chosen.includes(option)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked ? [...props.chosen, option] : props.chosen.filter((c) => c !== option)
              )} />
          <span>{props.label(option)}</span>
        </label>
      )}
    </For>
  </fieldset>
)

/** The form over my profile as the server answered it. */
const ProfileForm = (props: { readonly profile: ProfileView }) => {
  const run = useRun()
  const p = props.profile
  const currentPhoto = () => (p.photoUrl === null ? null : p.photoUrl.replace("/media/", "") as UploadId)
  const [listed, setListed] = createSignal(p.listed)
  const [nameStyle, setNameStyle] = createSignal(p.nameStyle ?? "short")
  const [photo, setPhoto] = createSignal<UploadId | null>(currentPhoto())
  const [picked, setPicked] = createSignal<ReadonlyArray<PickedFile>>([])
  const [presentation, setPresentation] = createSignal(p.presentation ?? "")
  const [interests, setInterests] = createSignal<ReadonlyArray<Topic>>(p.interests)
  const [interestsOther, setInterestsOther] = createSignal(p.interestsOther ?? "")
  const [skills, setSkills] = createSignal<ReadonlyArray<Topic>>(p.skills)
  const [skillsOther, setSkillsOther] = createSignal(p.skillsOther ?? "")
  const [languages, setLanguages] = createSignal<ReadonlyArray<Language>>(p.languages)
  const [visibility, setVisibility] = createSignal<FieldVisibility>(p.visibility ?? DEFAULT_VISIBILITY)
  const [error, setError] = createSignal<string>()
  const [saved, setSaved] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)

  const see = (field: ProfileField) => visibility()[field]
  const choose = (field: ProfileField) => (value: Visibility) => setVisibility((v) => ({ ...v, [field]: value }))
  const firstName = p.name.split(" ")[0] ?? p.name

  const submit = async (e: SubmitEvent) => {
    e.preventDefault()
    setError(undefined)
    setSaved(undefined)
    setBusy(true)
    const outcome = await run(Effect.flatMap(Vigie, (client) =>
      client.SaveMyProfile({
        listed: listed(),
        nameStyle: nameStyle(),
        photoId: picked()[0]?.id ?? photo(),
        presentation: presentation(),
        interests: interests(),
        interestsOther: interestsOther(),
        skills: skills(),
        skillsOther: skillsOther(),
        languages: languages(),
        visibility: visibility()
      })))
    setBusy(false)
    if (!outcome.ok) return setError(outcome.failure.message)
    setPhoto(outcome.value.photoUrl === null ? null : outcome.value.photoUrl.replace("/media/", "") as UploadId)
    setPicked([])
    setSaved(
      outcome.value.listed
        ? "Profil enregistré. Les membres de vos quartiers voient ce que vous avez choisi de leur montrer."
        : "Profil enregistré. Vous n'apparaissez plus dans l'annuaire."
    )
  }

  return (
    <form class="profile-form" onSubmit={(e) => void submit(e)} aria-describedby="profile-intro">
      <p id="profile-intro" class="hint">
        Vous choisissez, information par information, qui la voit : vous seul, ou les membres de vos quartiers. Votre
        rue, votre numéro, votre téléphone et votre e-mail restent cachés tant que vous ne décidez pas de les montrer.
        Le personnel de la plateforme et la mairie ne voient jamais l'annuaire.
      </p>
      <fieldset class="choices">
        <legend>L'annuaire</legend>
        <label class="choice">
          <input type="checkbox" name="listed" checked={listed()}
            onChange={(e) => setListed(e.currentTarget.checked)} />
          <span>Apparaître dans l'annuaire de mes quartiers</span>
        </label>
      </fieldset>
      <fieldset class="choices">
        <legend>Mon nom dans l'annuaire</legend>
        <label class="choice">
          <input type="radio" name="nameStyle" value="short" checked={nameStyle() === "short"}
            onChange={() => setNameStyle("short")} />
          <span>Prénom et initiale du nom (par exemple « {firstName} M. »)</span>
        </label>
        <label class="choice">
          <input type="radio" name="nameStyle" value="full" checked={nameStyle() === "full"}
            onChange={() => setNameStyle("full")} />
          <span>Prénom et nom complet</span>
        </label>
      </fieldset>

      <h2 class="section-title">Ma photo</h2>
      <Show when={photo() !== null && picked().length === 0}>
        <p class="current-photo">
          <img src={`/media/${photo()}`} alt="Ma photo actuelle" width="96" height="96" />
          <button type="button" class="link" onClick={() => setPhoto(null)}>Retirer ma photo</button>
        </p>
      </Show>
      <FilePicker id="profile-photo" kind="photo" max={1} label="Choisir une photo"
        hint="JPEG, PNG, WebP ou AVIF, 10 Mo au plus. Sa position GPS et ses autres métadonnées sont retirées."
        files={picked()} onFiles={setPicked} />
      <VisibilityChoice field="photo" value={see("photo")} onChange={choose("photo")} />

      <h2 class="section-title">Quelques mots sur moi</h2>
      <div class="field">
        <label for="profile-presentation">Ma présentation</label>
        <textarea id="profile-presentation" rows="4" value={presentation()}
          aria-describedby="profile-presentation-count" onInput={(e) => setPresentation(e.currentTarget.value)} />
        <p class="hint" id="profile-presentation-count">
          {[...presentation()].length} / {MAX_PRESENTATION} caractères
        </p>
      </div>
      <VisibilityChoice field="presentation" value={see("presentation")} onChange={choose("presentation")} />

      <Checklist legend="Mes centres d'intérêt" name="interests" options={TOPIC_IDS} label={topicLabel}
        chosen={interests()} onChange={setInterests} />
      <div class="field">
        <label for="profile-interests-other">Autres centres d'intérêt (texte libre)</label>
        <input id="profile-interests-other" value={interestsOther()} maxLength={MAX_OTHER}
          onInput={(e) => setInterestsOther(e.currentTarget.value)} />
      </div>
      <VisibilityChoice field="interests" value={see("interests")} onChange={choose("interests")} />

      <Checklist legend="Les coups de main que je propose" name="skills" options={TOPIC_IDS} label={topicLabel}
        chosen={skills()} onChange={setSkills} />
      <div class="field">
        <label for="profile-skills-other">Autres savoir-faire (texte libre)</label>
        <input id="profile-skills-other" value={skillsOther()} maxLength={MAX_OTHER}
          onInput={(e) => setSkillsOther(e.currentTarget.value)} />
      </div>
      <VisibilityChoice field="skills" value={see("skills")} onChange={choose("skills")} />

      <Checklist legend="Les langues que je parle" name="languages" options={LANGUAGE_IDS} label={languageLabel}
        chosen={languages()} onChange={setLanguages} />
      <VisibilityChoice field="languages" value={see("languages")} onChange={choose("languages")} />

      <h2 class="section-title">Mon adresse et mes coordonnées</h2>
      <p class="hint">
        Cachées par défaut. Montrez-les seulement si vous le souhaitez, une par une. Pour les changer, passez par « Mon
        compte » ou « Je déménage ».
      </p>
      <dl class="facts">
        <dt>Rue</dt>
        <dd>{p.street ?? "—"}</dd>
        <dt>Numéro</dt>
        <dd>{p.houseNumber ?? "—"}</dd>
        <dt>Téléphone</dt>
        <dd>{p.phone ?? "—"}</dd>
        <dt>E-mail</dt>
        <dd>{p.email ?? "—"}</dd>
      </dl>
      <VisibilityChoice field="street" value={see("street")} onChange={choose("street")} />
      <VisibilityChoice field="houseNumber" value={see("houseNumber")} onChange={choose("houseNumber")} />
      <VisibilityChoice field="phone" value={see("phone")} onChange={choose("phone")} />
      <VisibilityChoice field="email" value={see("email")} onChange={choose("email")} />

      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <Show when={saved()}>
        <p class="notice success" role="status">{saved()}</p>
      </Show>
      <button type="submit" class="primary big" disabled={busy()}>Enregistrer mon profil</button>
    </form>
  )
}

/** « Mon profil »: what my neighbours see of me in the annuaire, field by field. */
export const MyProfile = () => {
  const run = useRun()
  const [profile] = createResource(async () => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.GetMyProfile({})))
    if (!outcome.ok) throw new Error(outcome.failure.message)
    return outcome.value
  })
  return (
    <section aria-labelledby="my-profile-title">
      <h1 id="my-profile-title">Mon profil</h1>
      <p>
        <A href="/annuaire">Voir l'annuaire</A> · <A href="/membres-bloques">Membres bloqués</A>
      </p>
      <Show when={!profile.error} fallback={<p class="form-error" role="alert">{String(profile.error?.message)}</p>}>
        <Show when={profile()} fallback={<p aria-busy="true">Chargement…</p>}>
          {(p) => <ProfileForm profile={p()} />}
        </Show>
      </Show>
    </section>
  )
}

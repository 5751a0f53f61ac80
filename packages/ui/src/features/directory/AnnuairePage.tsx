import { A, useNavigate, useParams } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { Annuaire, AnnuaireEntry } from "@vigie/domain/directory/Profile"
import { MAX_PARTICIPANTS } from "@vigie/domain/messaging/MessagingPolicy"
import { Effect } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { verifiedMemberships } from "../session/Session.js"
import { BlockButton } from "./BlockButton.js"
import { topicLabel, writeTo } from "./DirectoryLabels.js"

/** One member of the annuaire: photo, name (to their page), référent, street and interests they show. */
export const AnnuaireCard = (props: {
  readonly entry: AnnuaireEntry
  readonly onBlocked: () => void
  /** Whether the member is chosen for a group message, and choosing them (undefined: no choice offered). */
  readonly picked?: boolean
  readonly onPick?: (picked: boolean) => void
}) => {
  const e = () => props.entry
  const topics = () => [...new Set([...e().interests, ...e().skills])].map(topicLabel)
  return (
    <article class="card member" aria-labelledby={`member-${e().accountId}`}>
      <div class="member-head">
        <Show when={e().photoUrl} fallback={<span class="avatar" aria-hidden="true">{e().name.slice(0, 1)}</span>}>
          {(src) => <img class="avatar" src={src()} alt="" width="56" height="56" loading="lazy" />}
        </Show>
        <div>
          <h3 id={`member-${e().accountId}`}>
            <A href={`/annuaire/membres/${e().accountId}`}>{e().name}</A>
            <Show when={e().mine}>
              <span class="badge">C'est vous</span>
            </Show>
            <Show when={e().referent}>
              <span class="badge referent">Référent</span>
            </Show>
            <Show when={e().newThisWeek}>
              <span class="badge new">Nouveau</span>
            </Show>
          </h3>
          <Show when={e().street}>{(street) => <p class="street">{street()}</p>}</Show>
          <Show when={topics().length > 0}>
            <p class="topics">{topics().join(" · ")}</p>
          </Show>
        </div>
      </div>
      <Show when={!e().mine}>
        <div class="member-actions">
          <Show when={!e().blockedByMe}>
            <A class="button primary" href={writeTo(e().accountId)}>
              Écrire un message <span class="sr-only">à {e().name}</span>
            </A>
          </Show>
          <BlockButton accountId={e().accountId} name={e().name} blocked={e().blockedByMe}
            onChange={() => props.onBlocked()} />
          <Show when={!e().blockedByMe && props.onPick}>
            {(onPick) => (
              <label class="pick">
                <input type="checkbox" checked={props.picked === true} onChange={(ev) => {
                  onPick()(ev.currentTarget.checked)
                  // A choice refused (the group is full) leaves the box as it was.
                  ev.currentTarget.checked = props.picked === true
                }} />{" "}
                Choisir <span class="sr-only">{e().name} pour un message de groupe</span>
              </label>
            )}
          </Show>
        </div>
      </Show>
    </article>
  )
}

/**
 * The annuaire of one of my quartiers: its listed members, searched by name, street or interest,
 * the new members of the week first. Staff and other quartiers never see it (the server says so).
 */
export const AnnuairePage = (props: { readonly me: Me }) => {
  const run = useRun()
  const params = useParams<{ communityId?: string }>()
  const navigate = useNavigate()
  const quartiers = verifiedMemberships(props.me).map((m) => m.community)
  const communityId = (): CommunityId | undefined =>
    (quartiers.find((q) => q.id === params.communityId) ?? quartiers[0])?.id
  // The members chosen for a group message, kept across searches (name for the summary), in order chosen.
  const [picked, setPicked] = createSignal<ReadonlyArray<{ readonly id: AccountId; readonly name: string }>>([])
  const [pickError, setPickError] = createSignal<string>()
  const pick = (entry: AnnuaireEntry, on: boolean) => {
    setPickError(undefined)
    if (!on) return setPicked((all) => all.filter((p) => p.id !== entry.accountId))
    if (picked().some((p) => p.id === entry.accountId)) return
    if (picked().length + 1 >= MAX_PARTICIPANTS) {
      return setPickError(
        `Un groupe réunit ${MAX_PARTICIPANTS} personnes au plus en vous comptant : choisissez ${
          MAX_PARTICIPANTS - 1
        } membres au plus.`
      )
    }
    setPicked((all) => [...all, { id: entry.accountId, name: entry.name }])
  }
  const isPicked = (entry: AnnuaireEntry) => picked().some((p) => p.id === entry.accountId)
  const writeToGroup = () => {
    if (picked().length < 2) {
      return setPickError(
        "Choisissez au moins deux membres pour un message de groupe (ou « Écrire un message » à un seul)."
      )
    }
    navigate(writeTo(picked().map((p) => p.id).join(",")))
  }
  const card = (entry: AnnuaireEntry) => (
    <AnnuaireCard entry={entry} onBlocked={() => {
      setPicked((all) => all.filter((p) => p.id !== entry.accountId))
      void refetch()
    }} picked={isPicked(entry)} onPick={(on) => pick(entry, on)} />
  )
  const [typed, setTyped] = createSignal("")
  const [query, setQuery] = createSignal("")
  const [annuaire, { refetch }] = createResource(
    () => ({ id: communityId(), q: query() }),
    async ({ id, q }): Promise<{ readonly annuaire: Annuaire; readonly q: string } | string | undefined> => {
      if (id === undefined) return undefined
      const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListAnnuaire({ communityId: id, query: q })))
      return outcome.ok ? { annuaire: outcome.value, q } : outcome.failure.message
    }
  )
  /** The last annuaire read, with the search it answers (shown while the next one loads). */
  const result = () => {
    const a = annuaire.latest
    return typeof a === "object" ? a : undefined
  }
  const loaded = () => result()?.annuaire
  const answered = () => result()?.q ?? ""
  const failed = () => {
    const a = annuaire.latest
    return typeof a === "string" ? a : undefined
  }

  return (
    <section aria-labelledby="annuaire-title" class="annuaire">
      <Show when={communityId() !== undefined} fallback={
        <>
          <h1 id="annuaire-title">L'annuaire</h1>
          <p class="notice">
            L'annuaire est réservé aux membres vérifiés d'un quartier. Activez votre adresse avec le code reçu par
            courrier pour le consulter.
          </p>
          <A class="button secondary" href="/activer">Activer mon adresse</A>
        </>
      }>
        <h1 id="annuaire-title">L'annuaire · {loaded()?.communityName ?? ""}</h1>
        <p class="hint">
          Les voisins de votre quartier qui ont choisi d'y figurer. Chacun décide de ce qu'il montre. Cochez « Choisir »
          pour écrire à plusieurs. <A href="/mon-profil">Mon profil</A> · <A href="/membres-bloques">Membres bloqués</A>
        </p>
        <Show when={loaded()?.viewerListed === false}>
          <p class="notice" role="status">
            Vous n'apparaissez pas dans l'annuaire. <A href="/mon-profil">Y revenir depuis « Mon profil »</A>
          </p>
        </Show>
        <Show when={quartiers.length > 1}>
          <div class="field">
            <label for="annuaire-quartier">Quartier</label>
            <select id="annuaire-quartier" value={communityId()}
              onChange={(e) => navigate(`/annuaire/quartier/${e.currentTarget.value}`)}
            >
              <For each={quartiers}>{(q) => <option value={q.id}>{q.name}</option>}</For>
            </select>
          </div>
        </Show>
        <form class="filters" role="search" aria-label="Chercher dans l'annuaire" onSubmit={(e) => {
          e.preventDefault()
          setQuery(typed().trim())
        }}>
          <div class="field">
            <label for="annuaire-query">Nom, rue ou centre d'intérêt</label>
            <input id="annuaire-query" type="search" value={typed()} onInput={(e) => setTyped(e.currentTarget.value)}
              placeholder="Martin, rue des Lilas, jardinage…" />
          </div>
          <button type="submit" class="secondary">Rechercher</button>
        </form>
        <Show when={failed()}>
          <p class="form-error" role="alert">{failed()}</p>
        </Show>
        <Show when={picked().length > 0 || pickError() !== undefined}>
          <div class="group-pick card" role="region" aria-label="Message de groupe">
            <p aria-live="polite">
              {picked().length === 0
                ? "Aucun membre choisi."
                : `${picked().length} ${picked().length === 1 ? "membre choisi" : "membres choisis"} : ${
                  picked().map((p) => p.name).join(", ")
                }`}
            </p>
            <Show when={pickError()}>{(m) => <p class="form-error" role="alert">{m()}</p>}</Show>
            <div class="member-actions">
              <button type="button" class="primary" onClick={writeToGroup}>Écrire au groupe</button>
              <button type="button" class="link" onClick={() => {
                setPicked([])
                setPickError(undefined)
              }}>
                Tout désélectionner
              </button>
            </div>
          </div>
        </Show>
        <Show when={loaded()} fallback={
          <Show when={!failed()}>
            <p aria-busy="true">Chargement de l'annuaire…</p>
          </Show>
        }>
          {(a) => (
            <>
              <Show when={a().newThisWeek.length > 0 && answered() === ""}>
                <h2 class="section-title">Nouveaux membres de la semaine</h2>
                <ul class="feed" aria-label="Nouveaux membres de la semaine">
                  <For each={a().newThisWeek}>
                    {(entry) => <li>{card(entry)}</li>}
                  </For>
                </ul>
              </Show>
              <h2 class="section-title" aria-busy={annuaire.loading}>
                {answered() === "" ? "Tous les membres" : `Résultats pour « ${answered()} »`} ({a().entries.length})
              </h2>
              <Show when={a().entries.length > 0} fallback={
                <p class="empty">
                  {query() === ""
                    ? "Personne n'est encore dans l'annuaire."
                    : "Aucun membre ne correspond à votre recherche."}
                </p>
              }>
                <ul class="feed" aria-label="Membres du quartier">
                  <For each={a().entries}>
                    {(entry) => <li>{card(entry)}</li>}
                  </For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </section>
  )
}

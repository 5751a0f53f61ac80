import { A, useParams } from "@solidjs/router"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { ProfileView } from "@vigie/domain/directory/Profile"
import { Effect } from "effect"
import { Show, createResource } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { BlockButton } from "./BlockButton.js"
import { languageLabel, topicLabel, writeTo } from "./DirectoryLabels.js"

/** A member's page: what they show to the members of their quartiers, a link to write to them, « Bloquer ». */
export const MemberProfilePage = () => {
  const run = useRun()
  const params = useParams<{ accountId: string }>()
  const [profile, { refetch }] = createResource(() => params.accountId, async (id): Promise<ProfileView | string> => {
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.GetMemberProfile({ accountId: id as AccountId }))
    )
    return outcome.ok ? outcome.value : outcome.failure.message
  })
  const view = () => {
    const p = profile()
    return typeof p === "object" ? p : undefined
  }
  const failed = () => {
    const p = profile()
    return typeof p === "string" ? p : undefined
  }
  return (
    <section aria-labelledby="member-title" class="member-page">
      <p>
        <A href="/annuaire">← L'annuaire</A>
      </p>
      <Show when={failed()}>
        <h1 id="member-title">Membre introuvable</h1>
        <p class="form-error" role="alert">{failed()}</p>
      </Show>
      <Show when={view()} fallback={
        <Show when={!failed()}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        {(p) => (
          <>
            <div class="member-head">
              <Show when={p().photoUrl}>
                {(src) => <img class="avatar big" src={src()} alt={`Photo de ${p().name}`} width="112" height="112" />}
              </Show>
              <div>
                <h1 id="member-title">{p().name}</h1>
                <Show when={p().referent}>
                  <span class="badge referent">Référent</span>
                </Show>
                <p class="hint">{p().quartiers.map((q) => q.name).join(", ")}</p>
              </div>
            </div>
            <Show when={p().presentation}>{(text) => <p class="presentation">{text()}</p>}</Show>
            <dl class="facts">
              <Show when={p().interests.length > 0 || p().interestsOther !== null}>
                <dt>Centres d'intérêt</dt>
                <dd>
                  {[...p().interests.map(topicLabel), ...(p().interestsOther === null ? [] : [p().interestsOther!])]
                    .join(" · ")}
                </dd>
              </Show>
              <Show when={p().skills.length > 0 || p().skillsOther !== null}>
                <dt>Coups de main proposés</dt>
                <dd>
                  {[...p().skills.map(topicLabel), ...(p().skillsOther === null ? [] : [p().skillsOther!])]
                    .join(" · ")}
                </dd>
              </Show>
              <Show when={p().languages.length > 0}>
                <dt>Langues</dt>
                <dd>{p().languages.map(languageLabel).join(", ")}</dd>
              </Show>
              <Show when={p().street !== null || p().houseNumber !== null}>
                <dt>Adresse</dt>
                <dd>{[p().houseNumber, p().street].filter((x) => x !== null).join(" ")}</dd>
              </Show>
              <Show when={p().phone}>
                {(phone) => (
                  <>
                    <dt>Téléphone</dt>
                    <dd>
                      <a href={`tel:${phone()}`}>{phone()}</a>
                    </dd>
                  </>
                )}
              </Show>
              <Show when={p().email}>
                {(email) => (
                  <>
                    <dt>E-mail</dt>
                    <dd>
                      <a href={`mailto:${email()}`}>{email()}</a>
                    </dd>
                  </>
                )}
              </Show>
            </dl>
            <Show when={!p().mine} fallback={<A class="button secondary" href="/mon-profil">Modifier mon profil</A>}>
              <div class="member-actions">
                <Show when={!p().blockedByMe}>
                  <A class="button primary" href={writeTo(p().accountId)}>Écrire un message</A>
                </Show>
                <BlockButton accountId={p().accountId} name={p().name} blocked={p().blockedByMe}
                  onChange={() => void refetch()} />
              </div>
            </Show>
          </>
        )}
      </Show>
    </section>
  )
}

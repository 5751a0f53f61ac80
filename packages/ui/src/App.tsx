import { A, Navigate, Route, Router, useLocation, useParams } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { Schema } from "effect"
import { Show, createResource, lazy } from "solid-js"
import type { JSX } from "solid-js"
import { AccountPage, ConfirmEmailPage } from "./features/account/AccountPage.js"
import { ForgotPassword, ResetWithCode, ResetWithLink } from "./features/account/ForgotPassword.js"
import { AdminOnly, isAdminMe } from "./features/administration/Admins.js"
import { AlertPage } from "./features/alerts/AlertPage.js"
import { Feed } from "./features/alerts/Feed.js"
import { PostAlertGuard } from "./features/alerts/PostAlert.js"
import { ModeratorOnly, ReferentOnly } from "./features/moderation/Guards.js"
import { isModeratorMe, referentOf } from "./features/moderation/Labels.js"
import { MessagesTab } from "./features/messaging/MessagesTab.js"
import { type CommuneStaff, communeStaff } from "./features/mairie/Staff.js"
import { PreferencesPage } from "./features/preferences/PreferencesForm.js"
import { LogInForm } from "./features/session/LogInForm.js"
import { InvitationPage } from "./features/session/Invitation.js"
import { TwoFactorEnrolment } from "./features/session/TwoFactorEnrolment.js"
import { Profile } from "./features/session/Profile.js"
import { SessionProvider, useSession } from "./features/session/Session.js"
import { UnlessUnreachable } from "./features/session/UnreachableNotice.js"
import { ActivatePage } from "./features/verification/Activate.js"
import { PhoneCheckPage } from "./features/verification/PhoneCheck.js"
import { AccountErased } from "./features/privacy/MyData.js"
import { PrivacyPage } from "./features/privacy/PrivacyPage.js"
import { RuntimeProvider, type VigieRuntime } from "./lib/runtime.js"

// Pages a resident's first load does not need (staff screens, the maps and Leaflet, proposals, paper
// registration) come in chunks of their own, fetched when their route opens.
const AdminPage = lazy(() => import("./features/administration/AdminPage.js").then((m) => ({ default: m.AdminPage })))
const AuthoritiesInbox = lazy(() =>
  import("./features/mairie/AuthoritiesInbox.js").then((m) => ({ default: m.AuthoritiesInbox }))
)
const MairieDashboard = lazy(() =>
  import("./features/mairie/MairieDashboard.js").then((m) => ({ default: m.MairieDashboard }))
)
const QuartiersPage = lazy(() =>
  import("./features/mairie/QuartiersPage.js").then((m) => ({ default: m.QuartiersPage }))
)
const AuditLog = lazy(() => import("./features/moderation/AuditLog.js").then((m) => ({ default: m.AuditLog })))
const ModerationConsole = lazy(() =>
  import("./features/moderation/ModerationConsole.js").then((m) => ({ default: m.ModerationConsole }))
)
const GazetteModerationQueue = lazy(() =>
  import("./features/moderation/GazetteModerationQueue.js").then((m) => ({ default: m.GazetteModerationQueue }))
)
const ReferentFlags = lazy(() =>
  import("./features/moderation/ReferentFlags.js").then((m) => ({ default: m.ReferentFlags }))
)
const ClaimAccountPage = lazy(() =>
  import("./features/registration/PaperNeighbour.js").then((m) => ({ default: m.ClaimAccountPage }))
)
const PaperNeighbourPage = lazy(() =>
  import("./features/registration/PaperNeighbour.js").then((m) => ({ default: m.PaperNeighbourPage }))
)
const JoinOrMove = lazy(() => import("./features/registration/JoinOrMove.js").then((m) => ({ default: m.JoinOrMove })))
const MyProposals = lazy(() => import("./features/proposals/MyProposals.js").then((m) => ({ default: m.MyProposals })))
const ProposeQuartier = lazy(() =>
  import("./features/proposals/ProposeQuartier.js").then((m) => ({ default: m.ProposeQuartier }))
)
const GazettePage = lazy(() => import("./features/gazette/GazettePage.js").then((m) => ({ default: m.GazettePage })))
const GazettePostPage = lazy(() =>
  import("./features/gazette/GazettePostPage.js").then((m) => ({ default: m.GazettePostPage }))
)
const AnnuairePage = lazy(() =>
  import("./features/directory/AnnuairePage.js").then((m) => ({ default: m.AnnuairePage }))
)
const MemberProfilePage = lazy(() =>
  import("./features/directory/MemberProfilePage.js").then((m) => ({ default: m.MemberProfilePage }))
)
const MyProfile = lazy(() => import("./features/directory/MyProfile.js").then((m) => ({ default: m.MyProfile })))
const BlockedMembers = lazy(() =>
  import("./features/directory/BlockedMembers.js").then((m) => ({ default: m.BlockedMembers }))
)
const PublishPost = lazy(() => import("./features/gazette/PublishPost.js").then((m) => ({ default: m.PublishPost })))
const MairieCommunication = lazy(() =>
  import("./features/gazette/MairieCommunication.js").then((m) => ({ default: m.MairieCommunication }))
)
const MessagesPage = lazy(() =>
  import("./features/messaging/MessagesPage.js").then((m) => ({ default: m.MessagesPage }))
)
const NewConversation = lazy(() =>
  import("./features/messaging/NewConversation.js").then((m) => ({ default: m.NewConversation }))
)
const ConversationPage = lazy(() =>
  import("./features/messaging/ConversationPage.js").then((m) => ({ default: m.ConversationPage }))
)
const MessageReports = lazy(() =>
  import("./features/moderation/MessageReports.js").then((m) => ({ default: m.MessageReports }))
)
const VeillePage = lazy(() => import("./features/veille/VeillePage.js").then((m) => ({ default: m.VeillePage })))
const SignUp = lazy(() => import("./features/registration/SignUp.js").then((m) => ({ default: m.SignUp })))

/** Renders its page with the logged-in account, or sends to the log-in page. */
const WithMe = (props: { readonly children: (me: Me) => JSX.Element }) => {
  const session = useSession()
  return (
    <Show when={!session.me.loading || session.me() !== undefined} fallback={<p aria-busy="true">Chargement…</p>}>
      <UnlessUnreachable>
        <Show when={session.me()} fallback={<Navigate href="/connexion" />}>
          {(me) => props.children(me())}
        </Show>
      </UnlessUnreachable>
    </Show>
  )
}

/** Renders its page for the mairie agents and municipal police of a commune; others are told why not. */
const WithStaff = (props: { readonly children: (staff: CommuneStaff) => JSX.Element }) => (
  <WithMe>
    {(me) => (
      <Show when={communeStaff(me)} fallback={
        <section>
          <h1>Accès réservé</h1>
          <p>Cette page est réservée aux agents de la mairie et à la police municipale.</p>
          <p>
            <A href="/">Retour à l'accueil</A>
          </p>
        </section>
      }>
        {(staff) => props.children(staff())}
      </Show>
    )}
  </WithMe>
)

/**
 * The quartiers of a commune: /mairie/quartiers for its mairie agents, /communes/<INSEE>/quartiers for
 * them and the platform's admins (any commune). Others are told why not.
 */
const ManageQuartiers = () => {
  const params = useParams<{ insee?: string }>()
  return (
    <WithMe>
      {(me) => {
        const staff = communeStaff(me)
        const admin = me.account.staffRoles.some((r) => r._tag === "Admin")
        const insee = params.insee ?? (staff?.side === "mairie" ? staff.insee : undefined)
        const allowed = insee !== undefined && Schema.is(InseeCode)(insee) &&
          (admin || (staff?.side === "mairie" && staff.insee === insee))
        return (
          <Show when={allowed && insee} fallback={
            <section>
              <h1>Accès réservé</h1>
              <p>La gestion des quartiers est réservée aux agents de la mairie de la commune et aux administrateurs.</p>
              <p>
                <A href="/">Retour à l'accueil</A>
              </p>
            </section>
          }>
            {(code) => <QuartiersPage insee={code() as InseeCode} backHref={staff === undefined ? "/" : "/mairie"} />}
          </Show>
        )
      }}
    </WithMe>
  )
}

const Welcome = () => (
  <section class="welcome" aria-labelledby="welcome-title">
    <h1 id="welcome-title">Voisins vigilants et solidaires</h1>
    <p class="lead">
      Vigie relie les voisins d'un même quartier, leur mairie et la police municipale. Une alerte envoyée ici prévient
      aussitôt vos voisins, par SMS et par e-mail.
    </p>
    <div class="stack">
      <A class="button primary big" href="/inscription">Rejoindre mon quartier</A>
      <A class="button secondary big" href="/connexion">Se connecter</A>
    </div>
    <p class="small">Vigie ne remplace pas les secours : en cas d'urgence, appelez le 17, le 18 ou le 15.</p>
  </section>
)

const Home = () => {
  const session = useSession()
  return (
    <Show when={!session.me.loading || session.me() !== undefined} fallback={<p aria-busy="true">Chargement…</p>}>
      <UnlessUnreachable>
        <Show when={session.me()} fallback={<Welcome />}>{(me) => <Feed me={me()} />}</Show>
      </UnlessUnreachable>
    </Show>
  )
}

const NotFound = () => (
  <section>
    <h1>Page introuvable</h1>
    <p>
      <A href="/">Retour à l'accueil</A>
    </p>
  </section>
)

/** In development the server's dev inbox (SMS, e-mails, letters) is one click away. */
const DevInboxLink = () => {
  const [available] = createResource(async () => {
    try {
      return (await fetch("/dev/outbox", { method: "GET" })).ok
    } catch {
      return false
    }
  })
  // rel="external": a server page, not one of the app's routes (the router would answer "Page introuvable").
  return (
    <Show when={available()}>
      <a href="/dev" rel="external">Boîte de développement (SMS, e-mails, lettres)</a>
    </Show>
  )
}

const Layout = (props: { readonly children?: JSX.Element }) => {
  const session = useSession()
  const location = useLocation()
  return (
    <>
      <a class="skip" href="#main">Aller au contenu</a>
      <header class="top">
        <A href="/" class="brand" aria-label="Vigie, accueil">
          <img src="/icon.svg" alt="" width="36" height="36" />
          <span>Vigie</span>
        </A>
        <Show when={session.me()}>
          {(me) => <span class="who">{me().account.firstName}</span>}
        </Show>
      </header>
      {
        /* No Suspense boundary here: the pages' own resources must not blank the page while they reload; a lazy
      page shows once its chunk has come (a moment on first opening). */
      }
      <main id="main" tabindex="-1">{props.children}</main>
      <Show when={session.me()}>
        <nav class="tabs" aria-label="Navigation principale">
          <A href="/" end aria-current={location.pathname === "/" ? "page" : undefined}>Fil</A>
          <A href="/alertes/nouvelle">Signaler</A>
          <A href="/gazette">Gazette</A>
          <A href="/annuaire">Annuaire</A>
          <MessagesTab />
          <A href="/veille">Veille</A>
          <A href="/preferences">Réglages</A>
          <A href="/profil">Profil</A>
          <Show when={session.me() !== undefined && communeStaff(session.me()!) !== undefined}>
            <A href="/mairie">Mairie</A>
            <A href="/autorites">Autorités</A>
          </Show>
          <Show when={session.me() !== undefined && isModeratorMe(session.me()!)}>
            <A href="/moderation">Modération</A>
          </Show>
          <Show when={session.me() !== undefined && isAdminMe(session.me()!)}>
            <A href="/admin">Administration</A>
          </Show>
          <Show
            when={session.me() !== undefined && !isModeratorMe(session.me()!) && referentOf(session.me()!).length > 0}
          >
            <A href="/moderation/signalements">Signalements</A>
          </Show>
        </nav>
      </Show>
      <footer class="foot">
        <p>
          Urgence : <a href="tel:17">17</a> police · <a href="tel:18">18</a> pompiers · <a href="tel:15">15</a> SAMU
        </p>
        <p>
          <A href="/confidentialite">Vos données et confidentialité</A>
        </p>
        <DevInboxLink />
      </footer>
    </>
  )
}

/** The whole resident app, over the runtime it is given (HTTP in the browser, RpcTest in tests). */
export const App = (props: { readonly runtime: VigieRuntime; readonly url?: string }) => (
  <RuntimeProvider runtime={props.runtime}>
    <SessionProvider>
      <Router root={Layout} {...(props.url === undefined ? {} : { url: props.url })}>
        <Route path="/" component={Home} />
        <Route path="/connexion" component={LogInForm} />
        <Route path="/invitation" component={InvitationPage} />
        <Route path="/double-authentification" component={() => <WithMe>{() => <TwoFactorEnrolment />}</WithMe>} />
        <Route path="/inscription" component={SignUp} />
        <Route path="/proposer" component={ProposeQuartier} />
        <Route path="/propositions" component={() => <WithMe>{() => <MyProposals />}</WithMe>} />
        <Route path="/mot-de-passe-oublie" component={ForgotPassword} />
        <Route path="/mot-de-passe/nouveau" component={ResetWithLink} />
        <Route path="/mot-de-passe/code" component={ResetWithCode} />
        <Route path="/mon-compte" component={() => <WithMe>{(me) => <AccountPage me={me} />}</WithMe>} />
        <Route path="/mon-compte/email" component={ConfirmEmailPage} />
        <Route path="/activer" component={ActivatePage} />
        <Route path="/inscrit-sur-papier" component={ClaimAccountPage} />
        <Route path="/voisins-sans-internet"
          component={() => <WithMe>{(me) => <PaperNeighbourPage me={me} />}</WithMe>} />
        <Route path="/telephone" component={PhoneCheckPage} />
        <Route path="/alertes/nouvelle" component={() => <WithMe>{(me) => <PostAlertGuard me={me} />}</WithMe>} />
        <Route path="/alertes/:id" component={() => <WithMe>{(me) => <AlertPage me={me} />}</WithMe>} />
        <Route path="/gazette" component={() => <WithMe>{(me) => <GazettePage me={me} />}</WithMe>} />
        <Route path="/gazette/quartier/:communityId"
          component={() => <WithMe>{(me) => <GazettePage me={me} />}</WithMe>} />
        <Route path="/gazette/nouvelle" component={() => <WithMe>{(me) => <PublishPost me={me} />}</WithMe>} />
        <Route path="/gazette/:id" component={() => <WithMe>{(me) => <GazettePostPage me={me} />}</WithMe>} />
        <Route path="/annuaire" component={() => <WithMe>{(me) => <AnnuairePage me={me} />}</WithMe>} />
        <Route path="/annuaire/quartier/:communityId"
          component={() => <WithMe>{(me) => <AnnuairePage me={me} />}</WithMe>} />
        <Route path="/annuaire/membres/:accountId" component={() => <WithMe>{() => <MemberProfilePage />}</WithMe>} />
        <Route path="/mon-profil" component={() => <WithMe>{() => <MyProfile />}</WithMe>} />
        <Route path="/membres-bloques" component={() => <WithMe>{() => <BlockedMembers />}</WithMe>} />
        <Route path="/mairie/gazette"
          component={() => <WithStaff>{(staff) => <MairieCommunication staff={staff} />}</WithStaff>} />
        <Route path="/messages" component={() => <WithMe>{() => <MessagesPage />}</WithMe>} />
        <Route path="/messages/nouveau" component={() => <WithMe>{() => <NewConversation />}</WithMe>} />
        <Route path="/messages/:id" component={() => <WithMe>{() => <ConversationPage />}</WithMe>} />
        <Route path="/veille" component={() => <WithMe>{(me) => <VeillePage me={me} />}</WithMe>} />
        <Route path="/preferences" component={() => <WithMe>{() => <PreferencesPage />}</WithMe>} />
        <Route path="/profil" component={() => <WithMe>{(me) => <Profile me={me} />}</WithMe>} />
        <Route path="/quartiers/rejoindre"
          component={() => <WithMe>{(me) => <JoinOrMove me={me} mode="join" />}</WithMe>} />
        <Route path="/demenagement" component={() => <WithMe>{(me) => <JoinOrMove me={me} mode="move" />}</WithMe>} />
        <Route path="/mairie" component={() => <WithStaff>{(staff) => <MairieDashboard staff={staff} />}</WithStaff>} />
        <Route path="/mairie/quartiers" component={ManageQuartiers} />
        <Route path="/communes/:insee/quartiers" component={ManageQuartiers} />
        <Route path="/autorites"
          component={() => <WithStaff>{(staff) => <AuthoritiesInbox staff={staff} />}</WithStaff>} />
        <Route path="/moderation" component={() => (
          <WithMe>
            {(me) => (
              <ModeratorOnly me={me}>
                <ModerationConsole me={me} />
              </ModeratorOnly>
            )}
          </WithMe>
        )} />
        <Route path="/moderation/gazette" component={() => (
          <WithMe>
            {(me) => (
              <ModeratorOnly me={me}>
                <GazetteModerationQueue />
              </ModeratorOnly>
            )}
          </WithMe>
        )} />
        <Route path="/moderation/messages" component={() => (
          <WithMe>
            {(me) => (
              <ModeratorOnly me={me}>
                <MessageReports />
              </ModeratorOnly>
            )}
          </WithMe>
        )} />
        <Route path="/moderation/journal" component={() => (
          <WithMe>
            {(me) => (
              <ModeratorOnly me={me}>
                <AuditLog me={me} />
              </ModeratorOnly>
            )}
          </WithMe>
        )} />
        <Route path="/moderation/signalements" component={() => (
          <WithMe>
            {(me) => (
              <ReferentOnly me={me}>
                <ReferentFlags me={me} />
              </ReferentOnly>
            )}
          </WithMe>
        )} />
        <Route path="/admin" component={() => (
          <WithMe>
            {(me) => (
              <AdminOnly me={me}>
                <AdminPage />
              </AdminOnly>
            )}
          </WithMe>
        )} />
        <Route path="/confidentialite" component={PrivacyPage} />
        <Route path="/compte-supprime" component={AccountErased} />
        <Route path="*" component={NotFound} />
      </Router>
    </SessionProvider>
  </RuntimeProvider>
)

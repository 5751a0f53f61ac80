import { A } from "@solidjs/router"
import { defaultRetentionPeriods } from "@vigie/domain/accounts/Retention"
import { SESSION_IDLE_TIMEOUT, SESSION_LIFETIME } from "@vigie/domain/accounts/AuthPolicy"
import { Duration } from "effect"

const days = (d: Duration.DurationInput) => Math.round(Duration.toDays(Duration.decode(d)))
const p = defaultRetentionPeriods

/**
 * "Vos données": what Vigie keeps, why and for how long, in plain French. The periods are the
 * defaults of the retention job (Retention.ts), so the page and the job say the same thing.
 */
export const PrivacyPage = () => (
  <section class="privacy" aria-labelledby="privacy-title">
    <h1 id="privacy-title">Vos données</h1>
    <p class="lead">
      Vigie garde le moins possible sur vous, et seulement le temps nécessaire. Voici ce que nous gardons, pourquoi, et
      combien de temps.
    </p>

    <h2>Votre compte</h2>
    <p>
      Vos nom et prénom, votre e-mail, votre téléphone et votre mot de passe (jamais en clair : seule une empreinte est
      gardée). Ils servent à vous connecter et à vous prévenir. <strong>Tant que vous utilisez Vigie.</strong>{" "}
      Sans connexion pendant {p.inactivityWarningMonths} mois, nous vous prévenons par e-mail ; sans connexion pendant
      {" "}
      {p.inactivityErasureMonths} mois, votre compte est supprimé.
    </p>

    <h2>Votre adresse et vos quartiers</h2>
    <p>
      Votre adresse prouve que vous habitez le quartier (le code d'activation vous arrive par courrier). Elle n'est
      jamais montrée hors de votre quartier. <strong>Tant que vous êtes membre.</strong>{" "}
      Le courrier d'activation (son PDF et l'adresse où il est parti) est effacé au bout de {days(p.letters)} jours.
    </p>

    <h2>Votre profil dans l'annuaire</h2>
    <p>
      Votre profil (photo, présentation, centres d'intérêt, langues) n'est vu que par les membres vérifiés de vos
      quartiers, et seulement ce que vous choisissez de leur montrer ; votre rue, votre numéro, votre téléphone et votre
      e-mail restent cachés tant que vous ne les montrez pas. Ni la mairie ni l'équipe de modération ne voient
      l'annuaire. Vous pouvez le quitter à tout moment. <strong>Tant que vous êtes membre</strong>{" "}
      : votre profil et la liste des membres que vous avez bloqués sont effacés avec votre compte.
    </p>

    <h2>Vos alertes et vos réponses</h2>
    <p>
      Vos alertes informent vos voisins ; la modération les relit. Elles restent visibles dans le quartier. Si vous
      supprimez votre compte, elles restent pour vos voisins, signées « Ancien membre ».
    </p>

    <h2>Les SMS et e-mails</h2>
    <p>
      Pour chaque alerte envoyée, nous gardons à qui, par quel moyen et si elle est arrivée. Le numéro ou l'adresse de
      destination est effacé au bout de {days(p.deliveryDestinations)}{" "}
      jours. Les SMS que vous envoyez à Vigie (numéro et texte) sont effacés au bout de {days(p.inboundSms)} jours.
    </p>

    <h2>Vos connexions</h2>
    <p>
      Une session dure au plus {days(SESSION_LIFETIME)} jours, et se termine après {days(SESSION_IDLE_TIMEOUT)}{" "}
      jours sans utilisation ; elle est alors effacée. Les essais de connexion manqués, qui servent à bloquer ceux qui
      devinent les mots de passe, sont oubliés au bout de {days(p.loginFailures)}{" "}
      jours. Les navigateurs depuis lesquels vous vous êtes déjà connecté(e) sont reconnus (pour que les essais d'un
      autre ne vous bloquent pas) ; chacun est oublié après {days(p.loginDevices)} jours sans connexion.
    </p>

    <h2>Mots de passe oubliés, changements d'adresse, codes</h2>
    <p>
      Les liens et codes que nous envoyons (mot de passe oublié, nouvelle adresse e-mail à confirmer, connexion en deux
      étapes et invitations du personnel) ne sont jamais gardés en clair, et sont effacés {days(p.expiredLinks)}{" "}
      jours après leur expiration (au plus tard une semaine, souvent une heure). L'adresse e-mail que vous demandez à
      utiliser est gardée avec sa demande, jusque-là. Pour empêcher les envois abusifs, nous comptons les SMS de
      vérification envoyés à chaque compte : ce décompte est effacé au bout de {days(p.verificationSms)}{" "}
      jours (sauf les deux premiers codes d'un compte dont l'adresse n'est pas encore vérifiée).
    </p>

    <h2>La modération</h2>
    <p>
      Les décisions des modérateurs sont gardées dans un journal qui ne s'efface pas : il permet de contrôler leur
      travail. Il ne contient ni votre nom ni vos coordonnées, seulement un lien vers votre compte, qui disparaît avec
      lui.
    </p>

    <h2>Vos droits</h2>
    <p>
      Depuis <A href="/profil">votre profil</A>, vous pouvez à tout moment{" "}
      <strong>
        télécharger toutes vos données
      </strong>{" "}
      (un fichier ZIP) et{" "}
      <strong>supprimer votre compte</strong>. Pour toute autre demande, ou pour saisir la CNIL (cnil.fr), contactez
      votre mairie ou l'équipe Vigie.
    </p>
  </section>
)

"""The demo's resources for associations (shared_apps.directory.seeds): practical articles in
French Markdown, as an operator would write them."""

RESOURCES: tuple[dict, ...] = (
    {
        "title": "Organiser un webinaire accessible pour vos adhérents",
        "summary": "Préparer, animer et partager un webinaire que tout le monde peut suivre, "
        "même fatigué, malentendant ou avec une petite connexion.",
        "themes": ("Animation de communauté", "Numérique en santé", "Information des patients"),
        "body": """## Avant : préparer

- **Choisissez un sujet précis** et une durée courte : 45 minutes à une heure, questions
  comprises. Au-delà, la fatigue l'emporte.
- **Invitez un binôme** : un intervenant (soignant, juriste, patient expert) et un animateur
  de l'association qui gère le temps et les questions.
- **Envoyez le support à l'avance** aux inscrits, en PDF accessible, pour ceux qui lisent
  mieux qu'ils n'écoutent.
- **Testez l'outil** avec l'intervenant la veille : micro, partage d'écran, sous-titres.

## Pendant : animer

1. Rappelez les règles au début : micros coupés, questions par écrit, pas de données
   personnelles de santé dans la discussion publique.
2. Activez les **sous-titres automatiques** et décrivez oralement ce qui est montré à l'écran.
3. Faites une pause toutes les vingt minutes pour les questions.
4. L'animateur regroupe les questions écrites et les relit à voix haute, sans citer le nom de
   leurs auteurs.

## Après : partager

- Publiez le **replay** seulement si l'intervenant l'a accepté par écrit, et coupez les
  passages où un participant s'est exprimé.
- Ajoutez une transcription ou un résumé écrit : c'est souvent ce qui sera le plus lu.
- Supprimez la liste des inscrits quand elle ne sert plus (voir notre fiche sur le RGPD).
""",
    },
    {
        "title": "Modérer un forum de patients : les règles qui protègent",
        "summary": "Une charte claire, des modérateurs formés et une conduite à tenir en cas "
        "de détresse : l'essentiel pour un espace d'entraide sûr.",
        "themes": ("Animation de communauté", "Soutien psychologique"),
        "body": """## Une charte courte et visible

Une bonne charte tient en une page. Elle rappelle que le forum **ne remplace pas un avis
médical**, que chacun s'exprime sous pseudonyme, qu'on ne publie ni nom, ni adresse, ni
photo d'ordonnance, et que les messages publicitaires sont retirés.

## Des modérateurs formés et soutenus

- Privilégiez des **patients partenaires** ou des proches formés, qui connaissent la maladie.
- Faites-les travailler à plusieurs : personne ne doit porter seul une situation difficile.
- Prévoyez un temps d'échange régulier avec un professionnel (psychologue, médecin référent).

## Ce qui se modère

- **Conseil médical dangereux** (arrêt d'un traitement…) : masquer le message, expliquer
  en privé, rappeler la charte.
- **Données personnelles publiées** : masquer aussitôt, prévenir la personne.
- **Propos blessants** : avertir, puis suspendre en cas de récidive.
- **Message de détresse ou idées suicidaires** : répondre vite, en privé, et orienter vers
  le **3114** (numéro national de prévention du suicide, 24 h/24) ou le 15 en cas
  d'urgence.

## Garder une trace

Notez chaque décision et sa raison : cela permet d'être cohérent dans le temps et de
répondre calmement à une contestation.
""",
    },
    {
        "title": "Trouver des financements pour une association de patients",
        "summary": "Cotisations, dons, subventions, mécénat, appels à projets : diversifier ses "
        "ressources pour rester indépendant.",
        "themes": ("Financement",),
        "body": """## Les ressources propres

- **Cotisations** : modestes, elles font vivre le lien avec les adhérents.
- **Dons des particuliers** : si votre association est d'intérêt général, vos donateurs
  bénéficient d'une réduction d'impôt. En cas de doute, demandez un **rescrit fiscal** à
  l'administration avant d'émettre des reçus.
- **Événements** : marches, ventes solidaires, concerts, qui font aussi connaître la cause.

## Les subventions publiques

- **Agence régionale de santé** : certains appels à projets (prévention, pair-aidance,
  démocratie en santé) sont ouverts aux associations.
- **Collectivités** : commune, département et région soutiennent souvent les actions locales.
- **FDVA** (Fonds pour le développement de la vie associative) : formation des bénévoles et
  fonctionnement des petites associations.

## Fondations et mécénat

Les fondations publient des appels à projets réguliers ; le **mécénat d'entreprise** ouvre
droit à une réduction d'impôt pour l'entreprise. Signez toujours une convention qui décrit
le projet et garantit votre liberté de parole.

## Un principe : ne dépendre de personne

Fixez-vous une règle écrite, par exemple qu'aucun financeur ne dépasse une part donnée de
votre budget, et publiez chaque année la liste de vos financeurs.
""",
    },
    {
        "title": "RGPD : protéger les données de santé de vos adhérents",
        "summary": "Les données de santé sont des données sensibles : ce qu'une association "
        "doit faire pour les collecter, les conserver et les supprimer.",
        "themes": ("Protection des données", "Droits des patients"),
        "body": """## Des données sensibles

Savoir qu'une personne adhère à une association de patients révèle souvent sa maladie : c'est
une **donnée de santé**, protégée par l'article 9 du RGPD. Son traitement est interdit sauf
exceptions, dont le **consentement explicite** de la personne et l'activité d'une
association à but non lucratif pour ses seuls membres, sans communication à l'extérieur.

## Les bons réflexes

1. **Ne collectez que le nécessaire** : pour envoyer une lettre d'information, une adresse
   électronique suffit ; le diagnostic n'est pas utile.
2. **Tenez un registre** de vos traitements : quelles données, pour quoi faire, qui y
   accède, combien de temps.
3. **Fixez des durées de conservation** et tenez-vous-y (par exemple, supprimer les
   inscrits d'un événement trois mois après).
4. **Limitez les accès** : un fichier partagé « à tous les bénévoles » est un risque.
5. **Choisissez vos outils** : hébergement en Europe, comptes protégés par un second
   facteur ; vérifiez si un hébergeur certifié **HDS** s'impose pour vos données.

## Les droits des personnes

Chacun peut demander l'accès à ses données, leur rectification ou leur effacement. Prévoyez
une adresse dédiée et répondez dans le délai d'un mois.

## Pour aller plus loin

La CNIL publie des fiches pratiques pour les associations et un modèle de registre. Une
**analyse d'impact** est requise quand vous traitez des données de santé à grande échelle.
""",
    },
    {
        "title": "Obtenir l'agrément d'association d'usagers du système de santé",
        "summary": "À quoi sert l'agrément, qui le délivre, quelles conditions remplir et comment "
        "préparer le dossier.",
        "themes": ("Représentation des usagers", "Droits des patients"),
        "body": """## À quoi sert l'agrément

Prévu par l'article L. 1114-1 du code de la santé publique, l'agrément permet à une
association de **représenter les usagers** dans les instances de santé : commissions des
usagers des hôpitaux et cliniques, conférences régionales, caisses d'assurance maladie.

## Qui le délivre

- **Agrément régional** : le directeur général de l'agence régionale de santé.
- **Agrément national** : le ministre chargé de la santé, après avis de la commission
  nationale d'agrément.

Il est accordé pour **cinq ans** et se renouvelle : notez sa date de fin et préparez le
renouvellement plusieurs mois à l'avance.

## Les conditions

- une activité effective et publique en faveur des malades et des usagers, depuis au moins
  trois ans ;
- des actions de formation et d'information ;
- une représentativité suffisante au regard de votre objet ;
- une gestion transparente et une réelle indépendance, notamment financière.

## Préparer le dossier

Rassemblez les statuts, les rapports d'activité et financiers des trois dernières années, la
liste des financeurs et des exemples d'actions. Les associations déjà agréées de votre
région peuvent vous conseiller.
""",
    },
    {
        "title": "Recruter et fidéliser des bénévoles",
        "summary": "Des missions claires, un accueil soigné et de la reconnaissance : les clés "
        "d'un engagement qui dure.",
        "themes": ("Animation de communauté", "Formation"),
        "body": """## Proposer des missions, pas un engagement flou

Décrivez chaque mission en quelques lignes : ce qu'il y a à faire, le temps demandé, les
compétences utiles. « Tenir la permanence du mardi à l'hôpital, deux heures par mois » attire
plus que « rejoignez-nous ».

## Accueillir

- Un **référent** pour chaque nouveau bénévole pendant les premières semaines.
- Une **charte du bénévole** : confidentialité, limites du rôle, à qui s'adresser.
- Une formation de départ, même courte ; le FDVA peut financer les formations.

## Tenir compte de la maladie

Beaucoup de bénévoles sont eux-mêmes patients ou proches. Acceptez les absences sans
culpabiliser, organisez les missions en binôme et prévoyez des tâches faisables à distance.

## Reconnaître

Remerciez publiquement, invitez aux temps forts, proposez des formations qualifiantes. Les
heures de bénévolat associatif peuvent, sous conditions, ouvrir des droits à la formation
au titre du compte d'engagement citoyen.
""",
    },
    {
        "title": "Devenir représentant des usagers à l'hôpital",
        "summary": "Le rôle du représentant des usagers en commission des usagers, sa nomination "
        "et sa formation.",
        "themes": ("Représentation des usagers", "Formation"),
        "body": """## Le rôle

Dans chaque établissement de santé, la **commission des usagers** (CDU) veille au respect des
droits des patients et à la qualité de l'accueil. Les représentants des usagers y examinent
les plaintes et réclamations, participent à l'analyse des événements indésirables et
proposent des améliorations.

## La nomination

Les représentants sont proposés par des **associations agréées** et nommés par le directeur
général de l'agence régionale de santé. Une association sans agrément peut s'associer à une
association agréée pour proposer des candidats.

## La formation

Une **formation de base** est obligatoire dans l'année qui suit la nomination. Elle est
gratuite et prise en charge pour les bénévoles.

## Conseils de ceux qui le font

- Lisez les réclamations avant la réunion et notez les questions.
- Rencontrez les services : une visite vaut mieux qu'un rapport.
- Rendez compte à votre association et aux autres représentants de la région.
""",
    },
    {
        "title": "Animer un groupe de parole",
        "summary": "Le cadre, la confidentialité et la co-animation qui font d'un groupe de "
        "parole un espace sûr.",
        "themes": ("Soutien psychologique", "Accompagnement des proches"),
        "body": """## Poser le cadre

Un groupe de parole se réunit à **heure fixe**, en petit nombre (six à douze personnes), dans un
lieu calme ou en visio. Rappelez les règles à chaque séance :

- ce qui se dit dans le groupe reste dans le groupe ;
- on parle de soi, en « je » ;
- chacun est libre de se taire ;
- pas de conseil médical : on partage une expérience.

## Co-animer

L'idéal est un binôme : un **pair** (patient ou proche formé) et un **professionnel**
(psychologue). Le professionnel peut repérer une détresse qui appelle un relais individuel.

## Se préparer aux moments difficiles

Un décès, une rechute, une colère : décidez à l'avance comment le groupe en parlera et qui
prendra des nouvelles de la personne après la séance.

## En ligne

Un groupe en visio permet à ceux qui se déplacent difficilement de venir. Demandez de garder
la caméra facultative et n'enregistrez jamais la séance.
""",
    },
    {
        "title": "Rendre vos contenus accessibles à tous",
        "summary": "Textes clairs, contrastes, sous-titres, documents lisibles : l'accessibilité "
        "au quotidien d'une association.",
        "themes": ("Information des patients", "Numérique en santé", "Accès aux soins"),
        "body": """## Écrire simplement

- Une idée par phrase, des phrases courtes, des mots de tous les jours.
- Expliquez chaque sigle la première fois.
- Pour certains publics, proposez une version **FALC** (facile à lire et à comprendre).

## Des images et vidéos pour tous

- Chaque image utile a un **texte alternatif** qui dit ce qu'elle apporte.
- Les vidéos ont des **sous-titres** et, si possible, une transcription.
- Le texte garde un **contraste** suffisant avec le fond ; n'écrivez pas en gris clair.

## Des documents lisibles

Un PDF scanné est illisible pour un lecteur d'écran. Produisez vos documents depuis un
traitement de texte, avec de vrais titres, et vérifiez-les avec l'outil d'accessibilité
intégré.

## Le site de l'association

Le référentiel **RGAA** décrit les critères d'accessibilité d'un site. Sans viser la
conformité complète tout de suite, commencez par la navigation au clavier, les titres et
les formulaires étiquetés.
""",
    },
    {
        "title": "Travailler avec les industriels de santé en toute transparence",
        "summary": "Conventions écrites, déclarations publiques et règles d'indépendance pour "
        "accepter un soutien sans perdre sa liberté.",
        "themes": ("Financement", "Droits des patients"),
        "body": """## Ce que dit la loi

Les entreprises qui produisent ou commercialisent des produits de santé doivent rendre
publics les conventions et avantages qu'elles accordent, notamment aux associations : ils
figurent sur la base publique **Transparence Santé**.

## Vos règles à vous

1. **Une convention écrite** pour chaque soutien : objet, montant, durée, et une clause qui
   garantit votre liberté éditoriale.
2. **Pas de promotion** : l'association ne cite ni ne recommande un médicament ou un
   dispositif.
3. **Une limite** : aucun industriel ne finance à lui seul une part importante du budget.
4. **La publicité** : la liste des partenaires et des montants figure dans votre rapport
   annuel.

## En pratique

Refusez qu'un partenaire relise vos contenus avant publication, et signalez clairement tout
événement soutenu par un industriel. Ces règles protègent la confiance de vos adhérents,
qui est votre premier capital.
""",
    },
    {
        "title": "Monter un programme d'éducation thérapeutique avec des patients",
        "summary": "Déclaration à l'ARS, équipe, formation de 40 heures et place des patients "
        "partenaires dans un programme d'ETP.",
        "themes": ("Éducation thérapeutique", "Formation"),
        "body": """## Qu'est-ce que l'ETP ?

L'éducation thérapeutique du patient aide les personnes à acquérir les compétences pour vivre
au mieux avec une maladie chronique. Les programmes se construisent de plus en plus **avec**
des patients, qui co-animent les ateliers.

## Les étapes

1. **Constituer l'équipe** : au moins deux professions différentes, dont un médecin si le
   coordonnateur n'en est pas un ; un patient peut être coordonnateur.
2. **Former les intervenants** : une formation d'au moins **40 heures** à l'éducation
   thérapeutique est exigée pour dispenser le programme.
3. **Écrire le programme** : public, compétences visées, séances, évaluation.
4. **Le déclarer** à l'agence régionale de santé avant de le mettre en œuvre.

## La place de l'association

Une association peut porter un programme, y envoyer des patients partenaires formés ou
faire connaître les programmes de sa région à ses adhérents. Évaluez chaque année ce que
les participants en retirent et adaptez les séances.
""",
    },
    {
        "title": "Communiquer sur les réseaux sociaux sans exposer vos adhérents",
        "summary": "Droit à l'image, messages privés, réponses aux questions médicales : une "
        "présence en ligne utile et respectueuse.",
        "themes": ("Numérique en santé", "Protection des données", "Information des patients"),
        "body": """## Ce qu'on publie

- Des informations fiables, avec leur source, datées.
- Les actions de l'association, les événements, les appels à bénévoles.
- Des témoignages **seulement avec l'accord écrit** de la personne, qui peut le retirer.

## Ce qu'on évite

- Les photos où l'on reconnaît des participants sans leur accord : être vu à une réunion
  d'association de patients révèle une maladie.
- Les réponses publiques à une question sur un traitement : répondez en privé et orientez
  vers le médecin.
- Les débats sans fin : une réponse courte, puis un lien vers une source sûre.

## Organiser l'équipe

Deux personnes au moins ont accès aux comptes, avec un second facteur d'authentification.
Une règle simple guide les réponses : ce qu'on ne dirait pas dans une salle d'attente, on ne
l'écrit pas en public.
""",
    },
)

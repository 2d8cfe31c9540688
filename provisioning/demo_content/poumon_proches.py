"""The caregivers' network of Mon réseau cancer du poumon: caregivers only."""

import datetime

from provisioning.demo_content import CAF, INCA, LIGUE, POUR_LES_AIDANTS, SANTE_GOUV, SERVICE_PUBLIC
from tenant_apps.members.models import ProfileType

NSCLC = "Cancer du poumon non à petites cellules"
SCLC = "Cancer du poumon à petites cellules"

CONTENT = {
    # No patients' space: everyone here accompanies someone.
    "spaces": ("proches-aidants",),
    "pathologies": (NSCLC, SCLC),
    "account_profile_types": {"membre": ProfileType.CAREGIVER, "modo": ProfileType.CAREGIVER},
    "members": (
        {
            "key": "membre",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (NSCLC,),
            "department": "35",
            "colour": "#5b2a86",
            "joined_days_ago": 60,
            "bio": "Ma mère est soignée pour un cancer du poumon. Je vis à une heure de chez elle.",
        },
        {
            "key": "modo",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (NSCLC,),
            "department": "31",
            "colour": "#1f5f8b",
            "joined_days_ago": 800,
            "bio": "J'ai accompagné mon père pendant trois ans. Modératrice bénévole.",
        },
        {
            "key": "proche",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (SCLC,),
            "department": "59",
            "colour": "#8a3b12",
            "joined_days_ago": 120,
            "bio": "J'accompagne mon mari depuis un an.",
        },
        {
            "key": "sylvie",
            "pseudonym": "Sylvie_56",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (NSCLC,),
            "department": "56",
            "colour": "#00796b",
            "joined_days_ago": 240,
            "bio": "Épouse d'un patient sous immunothérapie, infirmière à la retraite.",
        },
        {
            "key": "karim",
            "pseudonym": "Karim.B",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (SCLC,),
            "department": "93",
            "colour": "#375a9e",
            "joined_days_ago": 45,
            "bio": "Fils aîné, je jongle entre mon travail et les rendez-vous de mon père.",
        },
        {
            "key": "annemarie",
            "pseudonym": "Anne-Marie",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (NSCLC,),
            "department": "21",
            "colour": "#a0522d",
            "joined_days_ago": 400,
            "bio": "Maman d'un fils de 38 ans malade, grand-mère de deux enfants.",
        },
        {
            "key": "lucas",
            "pseudonym": "Lucas_R",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (SCLC,),
            "department": "67",
            "colour": "#6b4f9e",
            "joined_days_ago": 20,
            "bio": "Étudiant, j'aide ma mère à s'occuper de mon père.",
        },
        {
            "key": "roger",
            "pseudonym": "Roger_V",
            "profile_type": ProfileType.CAREGIVER,
            "department": "06",
            "colour": "#546e7a",
            "joined_days_ago": 10,
        },
        {
            "key": "isabelle",
            "pseudonym": "Isabelle_T",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (NSCLC,),
            "department": "86",
            "colour": "#c2185b",
            "joined_days_ago": 1,
        },
    ),
    "forum_categories": (
        (
            "proches-aidants",
            "bienvenue-proches",
            "Bienvenue",
            "Présentez-vous entre proches aidants.",
        ),
        (
            "proches-aidants",
            "aider-sans-s-epuiser",
            "Aider sans s'épuiser",
            "Répit, fatigue, culpabilité : prendre soin de soi aussi.",
        ),
        (
            "proches-aidants",
            "droits-aidants",
            "Droits et démarches des aidants",
            "Congé de proche aidant, allocation journalière (AJPA), aides à domicile.",
        ),
        (
            "proches-aidants",
            "famille",
            "Famille et enfants",
            "Parler de la maladie aux enfants, au couple, à l'entourage.",
        ),
        (
            "proches-aidants",
            "fin-de-vie",
            "Accompagner jusqu'au bout",
            "Soins palliatifs, fin de vie, deuil. Avertissements de contenu recommandés.",
        ),
    ),  # fmt: skip
    "groups": (
        {
            "name": "Aidants qui travaillent",
            "space": "proches-aidants",
            "proposer": "karim",
            "members": ("membre", "sylvie"),
            "description": "Concilier un emploi et l'accompagnement d'un proche : congés, "
            "horaires, dialogue avec l'employeur.",
        },
        {
            "name": "Enfants et adolescents de parents malades",
            "space": "proches-aidants",
            "proposer": "annemarie",
            "members": ("lucas", "proche"),
            "description": "Pour les parents, grands-parents et jeunes adultes : comment dire, "
            "comment soutenir les plus jeunes.",
        },
    ),  # fmt: skip
    "topics": (
        {
            "category": "bienvenue-proches",
            "author": "modo",
            "days_ago": 6.8,
            "pinned": True,
            "title": "Bienvenue aux proches aidants",
            "body": "Bonjour et bienvenue.\n\nCe réseau est réservé aux proches : conjoints, "
            "enfants, parents, amis. Ici, on peut dire sa fatigue, sa colère ou sa "
            "peur sans être jugé.\n\n- écrivez sous pseudonyme ;\n- cochez un "
            "*avertissement* pour les sujets difficiles ;\n- en cas de détresse, le "
            "3114 répond jour et nuit.",
            "reactions": ((0, "thanks", ("membre", "karim", "sylvie")),),
        },
        {
            "category": "bienvenue-proches",
            "author": "karim",
            "days_ago": 5.2,
            "title": "Fils aidant, je découvre tout",
            "body": "Mon père a appris son cancer il y a un mois. Je suis l'aîné, c'est moi "
            "qui gère les rendez-vous, les papiers, et je travaille à temps plein. Je "
            "ne sais pas si je tiendrai.",
            "replies": (
                (
                    "sylvie",
                    "Bienvenue @{karim}. Le premier mois est un tourbillon. Demandez à "
                    "l'hôpital l'infirmière de coordination : elle m'a évité bien des "
                    "allers-retours.",
                ),
                (
                    "modo",
                    "Regardez aussi le sujet sur le congé de proche aidant dans « Droits "
                    "et démarches » : il peut se prendre à temps partiel.",
                ),
                ("karim", "Merci à vous deux, je ne savais même pas que ça existait."),
            ),
            "followers": ("membre",),
            "reactions": (
                (0, "support", ("sylvie", "membre", "annemarie")),
                (1, "thanks", ("karim",)),
                (2, "thanks", ("karim",)),
            ),
        },
        {
            "category": "aider-sans-s-epuiser",
            "author": "proche",
            "days_ago": 3.6,
            "title": "Comment trouvez-vous du répit ?",
            "body": "J'accompagne mon mari depuis un an. Je me sens épuisée et un peu "
            "coupable de le dire. Comment faites-vous pour souffler un peu ?",
            "replies": (
                (
                    "modo",
                    "Vous n'avez pas à culpabiliser. Les plateformes d'accompagnement et "
                    "de répit proposent des temps de relais ; votre médecin traitant peut "
                    "vous orienter.",
                ),
                (
                    "sylvie",
                    "Une aide à domicile deux matinées par semaine a tout changé pour "
                    "moi. Je vais nager, je vois une amie. Mon mari a compris.",
                ),
                ("roger", "Arrêtez de vous plaindre, c'est le malade qui souffre, pas vous."),
                (
                    "annemarie",
                    "Si, l'aidant souffre aussi. Prenez soin de vous @{proche}, "
                    "c'est aussi prendre soin de lui.",
                ),
            ),
            "followers": ("proche", "membre"),
            "reactions": (
                (0, "support", ("modo", "sylvie", "membre", "lucas")),
                (2, "thanks", ("proche",)),
                (4, "thanks", ("proche", "sylvie")),
            ),
        },
        {
            "category": "aider-sans-s-epuiser",
            "author": "membre",
            "days_ago": 1.2,
            "title": "Épuisée et irritable, est-ce que ça vous arrive ?",
            "body": "Je m'énerve pour un rien, je dors mal, je n'ai plus de temps pour moi. "
            "Mon médecin parle d'épuisement de l'aidant. Je ne pensais pas en arriver "
            "là.",
            "replies": (
                (
                    "sylvie",
                    "Oui, et le reconnaître est déjà un premier pas. Une psychologue "
                    "de l'hôpital reçoit aussi les proches, gratuitement.",
                ),
                (
                    "modo",
                    "Notre article « Reconnaître l'épuisement de l'aidant » donne des "
                    "repères et des contacts.",
                ),
            ),
            "reactions": ((0, "same", ("proche", "karim")), (1, "thanks", ("membre",))),
        },
        {
            "category": "droits-aidants",
            "author": "sylvie",
            "days_ago": 4.4,
            "title": "Congé de proche aidant et AJPA : notre expérience",
            "body": "J'ai pris un congé de proche aidant à temps partiel et demandé "
            "l'allocation journalière du proche aidant (AJPA) à la CAF. La demande "
            "se fait en ligne, il faut l'attestation de l'employeur.",
            "replies": (
                ("karim", "Merci ! Mon employeur peut-il refuser ?"),
                (
                    "sylvie",
                    "Non, s'il est prévenu dans les délais, sauf urgence où c'est "
                    "immédiat. Le fractionnement ou le temps partiel demandent son "
                    "accord.",
                ),
            ),
            "followers": ("karim", "membre"),
            "reactions": ((0, "thanks", ("karim", "membre", "lucas")),),
        },
        {
            "group": "Aidants qui travaillent",
            "author": "karim",
            "days_ago": 0.8,
            "title": "En parler à son manager ?",
            "body": "J'hésite à expliquer la situation à mon manager. Vous l'avez fait ?",
            "replies": (
                (
                    "membre",
                    "Je l'ai fait, et on a pu aménager mes horaires le jour des "
                    "chimios. Tout dépend de la relation, bien sûr.",
                ),
            ),
            "reactions": ((1, "thanks", ("karim",)),),
        },
        {
            "group": "Enfants et adolescents de parents malades",
            "author": "annemarie",
            "days_ago": 2.5,
            "title": "Que dire à des petits-enfants de 6 et 9 ans ?",
            "body": "Mon fils est malade et ses enfants sentent que quelque chose ne va pas. "
            "Leur mère et moi ne savons pas quels mots employer.",
            "replies": (
                (
                    "lucas",
                    "J'avais 15 ans quand on me l'a dit. Le pire, c'était le silence "
                    "avant. Des mots simples et vrais, et leur dire que ce n'est pas "
                    "de leur faute.",
                ),
                (
                    "proche",
                    "La psychologue du service nous a prêté des albums pour enfants "
                    "sur la maladie. Ça a ouvert la discussion.",
                ),
            ),
            "reactions": ((1, "thanks", ("annemarie",)), (2, "thanks", ("annemarie", "modo"))),
        },
        {
            "category": "fin-de-vie",
            "author": "sylvie",
            "days_ago": 2.0,
            "warnings": ("Soins palliatifs",),
            "title": "L'équipe de soins palliatifs à domicile",
            "body": "Les médecins nous ont proposé l'équipe de soins palliatifs. J'avais peur "
            "du mot, mais ils soulagent vraiment la douleur et l'essoufflement de mon "
            "mari, et ils m'écoutent aussi.",
            "replies": (
                (
                    "modo",
                    "Merci de ce témoignage. Les soins palliatifs ne sont pas seulement "
                    "la toute fin : ils accompagnent aussi la qualité de vie.",
                ),
            ),
            "reactions": ((0, "support", ("membre", "annemarie", "proche")),),
        },
        {
            "category": "famille",
            "author": "lucas",
            "days_ago": 0.3,
            "title": "Étudiant et aidant, je décroche",
            "body": "Je rate des cours pour accompagner mon père aux rendez-vous. Est-ce que "
            "des étudiants ici ont obtenu des aménagements ?",
            "replies": (
                (
                    "annemarie",
                    "Le service de santé universitaire peut vous aider, et il "
                    "existe un statut d'étudiant aidant dans beaucoup d'universités.",
                ),
            ),
            "reactions": ((1, "thanks", ("lucas",)), (0, "courage", ("karim", "sylvie"))),
        },
    ),  # fmt: skip
    "queue": {
        "held": {
            "author": "isabelle",
            "category": "bienvenue-proches",
            "hours_ago": 3,
            "title": "Ma sœur vient d'être hospitalisée",
            "body": "Bonsoir, ma sœur est hospitalisée depuis hier pour des "
            "complications. Je m'occupe de ses enfants en plus des miens. "
            "Je ne sais pas vers qui me tourner.",
        },
        "report": {
            "topic": "Comment trouvez-vous du répit ?",
            "author": "roger",
            "reporter": "sylvie",
            "reason": "hurtful",
            "hours_ago": 20,
            "detail": "Message culpabilisant envers une aidante épuisée.",
        },
    },  # fmt: skip
    "knowledge_categories": (
        "Répit",
        "Droits des aidants",
        "Prendre soin de soi",
        "Vie de famille",
        "Fin de vie",
    ),
    "articles": (
        {
            "title": "Le répit : des solutions pour souffler",
            "days_ago": 100,
            "themes": ("Répit",),
            "tags": ("répit", "aide à domicile"),
            "summary": "Accueil de jour, hébergement temporaire, relais à domicile, plateformes "
            "d'accompagnement et de répit : les solutions pour prendre du temps "
            "pour soi.",
            "body": "### Pourquoi c'est important\n\nUn aidant qui s'épuise ne peut plus "
            "aider. Prendre du répit n'est pas abandonner.\n\n### Les solutions\n\n- "
            "les **plateformes d'accompagnement et de répit**, qui informent et "
            "proposent des relais ;\n- l'**accueil de jour** ou l'**hébergement "
            "temporaire** de la personne aidée ;\n- une **aide à domicile** pour "
            "quelques heures ;\n- les associations d'aidants et leurs groupes de "
            "parole.\n\n### Qui contacter\n\nLe médecin traitant, l'assistante "
            "sociale de l'hôpital ou le centre communal d'action sociale (CCAS) "
            "orientent vers les solutions proches de chez vous.",
            "sources": (
                (
                    "Solutions de répit pour les aidants",
                    POUR_LES_AIDANTS,
                    datetime.date(2024, 4, 1),
                ),
            ),
        },
        {
            "title": "Le congé de proche aidant",
            "days_ago": 80,
            "themes": ("Droits des aidants",),
            "tags": ("congé", "travail"),
            "summary": "Un salarié peut suspendre ou réduire son activité pour accompagner un "
            "proche en perte d'autonomie ou gravement handicapé.",
            "body": "### Le principe\n\nLe **congé de proche aidant** permet d'arrêter ou de "
            "réduire son activité pour aider un proche. Il dure trois mois, "
            "renouvelable, dans la limite d'un an sur toute la carrière.\n\n### Comment "
            "le demander\n\nPrévenez l'employeur par écrit, en principe un mois avant. "
            "En cas d'urgence (dégradation soudaine de l'état de santé, situation de "
            "crise), le congé peut débuter immédiatement.\n\n### Temps partiel ou "
            "fractionné\n\nAvec l'accord de l'employeur, le congé peut être pris à "
            "temps partiel ou par périodes.",
            "sources": (
                (
                    "Congé de proche aidant dans le secteur privé",
                    SERVICE_PUBLIC,
                    datetime.date(2024, 1, 1),
                ),
            ),
        },
        {
            "title": "L'allocation journalière du proche aidant (AJPA)",
            "days_ago": 70,
            "themes": ("Droits des aidants",),
            "tags": ("AJPA", "CAF"),
            "summary": "Pendant un congé de proche aidant, l'AJPA compense en partie la perte "
            "de revenus. Qui y a droit et comment la demander.",
            "body": "### Pour qui\n\nLes personnes qui prennent un congé de proche aidant (ou "
            "réduisent leur activité) pour accompagner un proche.\n\n### Combien\n\n"
            "Un montant par journée ou demi-journée, fixé chaque année, dans la "
            "limite d'un nombre de jours sur l'ensemble de la carrière. Le montant en "
            "vigueur est indiqué sur Service-Public.fr.\n\n### Comment\n\nLa demande "
            "se fait auprès de la **CAF** (ou de la MSA), en ligne, chaque mois, avec "
            "l'attestation de l'employeur.",
            "sources": (
                (
                    "Allocation journalière du proche aidant (AJPA)",
                    SERVICE_PUBLIC,
                    datetime.date(2025, 1, 1),
                ),
                ("Allocation journalière du proche aidant", CAF, datetime.date(2024, 6, 1)),
            ),
        },
        {
            "title": "Reconnaître l'épuisement de l'aidant",
            "days_ago": 40,
            "themes": ("Prendre soin de soi",),
            "tags": ("épuisement", "sommeil"),
            "summary": "Fatigue qui ne passe pas, irritabilité, isolement : les signes qui "
            "doivent alerter, et vers qui se tourner.",
            "body": "### Les signes\n\n- troubles du sommeil, fatigue permanente ;\n- "
            "irritabilité, envie de pleurer ;\n- renoncement à ses propres soins et à "
            "ses loisirs ;\n- sentiment d'être seul au monde.\n\n### Que faire\n\n"
            "Parlez-en à votre médecin traitant : votre santé compte aussi. Les "
            "équipes d'oncologie proposent souvent un soutien psychologique aux "
            "proches, et les associations des groupes de parole.\n\nEn cas de "
            "détresse, le **3114** répond jour et nuit.",
            "sources": (
                (
                    "Vivre auprès d'une personne atteinte d'un cancer (guide Cancer info)",
                    INCA,
                    datetime.date(2021, 1, 1),
                ),
                ("Aidants : prendre soin de soi", POUR_LES_AIDANTS, datetime.date(2024, 4, 1)),
            ),
        },
        {
            "title": "Parler de la maladie aux enfants",
            "days_ago": 25,
            "themes": ("Vie de famille",),
            "tags": ("enfants", "adolescents"),
            "summary": "Les enfants perçoivent qu'il se passe quelque chose. Des mots simples "
            "et vrais, adaptés à leur âge, les protègent mieux que le silence.",
            "body": "### Dire la vérité, avec des mots simples\n\nNommez la maladie, "
            "expliquez les traitements et leurs effets visibles (fatigue, perte des "
            "cheveux).\n\n### Rassurer\n\n- ce n'est pas de leur faute ;\n- le cancer "
            "ne s'attrape pas ;\n- quelqu'un s'occupera toujours d'eux.\n\n### Se "
            "faire aider\n\nLes psychologues des services d'oncologie reçoivent aussi "
            "les enfants et les adolescents. Prévenez l'école si vous le souhaitez.",
            "sources": (
                ("Comment parler du cancer à un enfant", LIGUE, datetime.date(2022, 5, 1)),
            ),
        },
        {
            "title": "Accompagner un proche en fin de vie",
            "days_ago": 15,
            "themes": ("Fin de vie",),
            "tags": ("soins palliatifs", "congé"),
            "summary": "Soins palliatifs, congé de solidarité familiale, soutien au deuil : "
            "ce qui existe pour accompagner un proche jusqu'au bout.",
            "body": "### Les soins palliatifs\n\nIls soulagent la douleur et les symptômes et "
            "accompagnent la personne malade et ses proches, à l'hôpital ou à "
            "domicile, pas seulement dans les derniers jours.\n\n### Le congé de "
            "solidarité familiale\n\nIl permet à un salarié d'accompagner un proche "
            "en fin de vie ; une allocation journalière d'accompagnement peut être "
            "versée par l'Assurance maladie.\n\n### Après\n\nDes associations "
            "proposent un accompagnement du deuil, seul ou en groupe.",
            "sources": (
                ("Congé de solidarité familiale", SERVICE_PUBLIC, datetime.date(2024, 1, 1)),
                ("Les soins palliatifs", SANTE_GOUV, datetime.date(2023, 10, 1)),
            ),
        },
    ),  # fmt: skip
}

# The network's events (tenant_apps/events/seeds.py): ``days`` from today, ``time`` in the
# network's time zone; past webinars with their questions and replay, what is coming with
# its registrations.
VISIO = "https://visio.proches-poumon.demo.invalid"
REPLAY = "https://replay.proches-poumon.demo.invalid"
CONTENT["events"] = (
    {
        "title": "Prendre du répit : les solutions",
        "format": "webinar",
        "days": -21,
        "time": (20, 0),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/repit",
        "description": "Accueil de jour, hébergement temporaire, relayage à domicile, "
        "plateformes de répit : ce qui existe, comment le financer, à qui s'adresser. Une "
        "assistante sociale répond à vos questions, le soir, quand vous êtes disponibles.",
        "speakers": (("Nathalie Blanc", "assistante sociale"),),
        "registrants": ("membre", "sylvie", "karim", "annemarie", "lucas", "roger", "isabelle",
                        "modo"),  # fmt: skip
        "questions": (
            {"by": "sylvie", "text": "Je n'ose pas laisser mon mari à quelqu'un d'autre. "
             "Comment franchir le pas ?", "votes": ("annemarie", "isabelle", "membre"),
             "answered_after": 10},
            {"by": "karim", "text": "L'hébergement temporaire est-il pris en charge par "
             "l'APA ?", "votes": ("roger", "lucas"), "answered_after": 24},
            {"by": "isabelle", "anonymous": True, "text": "Je travaille à temps plein : existe-"
             "t-il un congé pour m'occuper de mon père ?", "votes": ("lucas", "sylvie"),
             "answered_after": 39},
        ),
        "replay": {
            "url": f"{REPLAY}/repit",
            "chapters": (
                (0, "Pourquoi le répit n'est pas un luxe", ()),
                (480, "Oser passer le relais", (0,)),
                (1380, "Les solutions et leur financement", (1,)),
                (2280, "Concilier travail et aide : le congé de proche aidant", (2,)),
            ),
        },
    },
    {
        "title": "Parler de la maladie avec ses enfants",
        "format": "webinar",
        "days": 8,
        "time": (20, 0),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/enfants",
        "description": "Quels mots, à quel âge, que dire quand on ne sait pas ? Une "
        "psychologue d'une équipe de soins de support répond à vos questions.",
        "speakers": (("Camille Fabre", "psychologue"),),
        "registrants": ("membre", "lucas", "isabelle", "karim", "annemarie"),
        "questions": (
            {"by": "lucas", "text": "Ma fille de 8 ans pose des questions sur la mort. Que "
             "lui répondre ?", "votes": ("isabelle", "karim", "membre")},
            {"by": "annemarie", "text": "Faut-il prévenir l'école ?", "votes": ("lucas",)},
        ),
    },
    {
        "title": "Balade entre aidants le long du canal",
        "format": "in_person",
        "days": 14,
        "time": (10, 0),
        "minutes": 90,
        "place": "Écluse du Mail, canal d'Ille-et-Rance, 35000 Rennes",
        "accessibility": "Chemin de halage plat et stabilisé, 2,5 km. Bancs réguliers.",
        "description": "Une heure et demie pour marcher et parler entre proches aidants, puis "
        "un café pour qui veut.",
        "capacity": 8,
        "registrants": ("membre", "sylvie", "karim", "annemarie", "roger", "isabelle", "modo"),
    },
)  # fmt: skip

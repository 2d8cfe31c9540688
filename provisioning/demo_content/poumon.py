"""Mon réseau cancer du poumon: patients, former patients and, apart, their caregivers."""

import datetime

from provisioning.demo_content import AMELI, HAS, INCA, LIGUE, SERVICE_PUBLIC
from tenant_apps.members.models import ProfileType

NSCLC = "Cancer du poumon non à petites cellules"
SCLC = "Cancer du poumon à petites cellules"

CONTENT = {
    "spaces": ("patients", "proches-aidants"),
    "pathologies": (NSCLC, SCLC, "Mésothéliome"),
    # Role accounts (key as in DEMO_ACCOUNTS) are completed; others are created.
    "members": (
        {
            "key": "membre",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (NSCLC,),
            "department": "69",
            "colour": "#1f5f8b",
            "joined_days_ago": 40,
            "bio": "Diagnostiquée au printemps, sous immunothérapie. J'aime le jardin et les "
            "balades au bord de la Saône.",
        },
        {
            "key": "modo",
            "profile_type": ProfileType.FORMER_PATIENT,
            "pathologies": (NSCLC,),
            "department": "44",
            "colour": "#8a3b12",
            "joined_days_ago": 900,
            "bio": "Opéré il y a six ans, patient partenaire et modérateur bénévole.",
        },
        {
            "key": "proche",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (SCLC,),
            "department": "59",
            "colour": "#5b2a86",
            "joined_days_ago": 120,
            "bio": "J'accompagne mon mari depuis un an.",
        },
        {
            "key": "nadine",
            "pseudonym": "Nadine_63",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (NSCLC,),
            "department": "63",
            "colour": "#2e7d5b",
            "joined_days_ago": 300,
            "bio": "Adénocarcinome ALK+, sous thérapie ciblée depuis deux ans. Randonneuse "
            "ralentie mais pas arrêtée.",
        },
        {
            "key": "gilles",
            "pseudonym": "Gilles-Bzh",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (SCLC,),
            "department": "29",
            "colour": "#375a9e",
            "joined_days_ago": 150,
            "bio": "Marin à la retraite, chimio et radiothérapie.",
        },
        {
            "key": "soraya",
            "pseudonym": "Soraya.L",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (NSCLC,),
            "department": "13",
            "colour": "#a0522d",
            "joined_days_ago": 210,
            "bio": "EGFR muté, maman de deux ados.",
        },
        {
            "key": "jean",
            "pseudonym": "PapyJean",
            "profile_type": ProfileType.FORMER_PATIENT,
            "pathologies": (NSCLC,),
            "department": "59",
            "colour": "#6b4f9e",
            "joined_days_ago": 700,
            "bio": "Lobectomie en 2019, en surveillance. Marcheur.",
        },
        {
            "key": "claire",
            "pseudonym": "Claire-Annecy",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (NSCLC,),
            "department": "74",
            "colour": "#00796b",
            "joined_days_ago": 90,
            "bio": "Comptable, en reprise à temps partiel.",
        },
        {
            "key": "hugo",
            "pseudonym": "Hugo_R",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (SCLC,),
            "department": "33",
            "colour": "#455a64",
            "joined_days_ago": 1,
        },
        {
            "key": "odile",
            "pseudonym": "Odile_AIDANTE",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (NSCLC,),
            "department": "62",
            "colour": "#c2185b",
            "joined_days_ago": 500,
            "bio": "J'ai accompagné ma sœur pendant ses traitements.",
        },
        {
            "key": "vente",
            "pseudonym": "BienEtreNature",
            "profile_type": ProfileType.PATIENT,
            "department": "75",
            "colour": "#7cb342",
            "joined_days_ago": 3,
        },
    ),
    # (space, slug, name, description)
    "forum_categories": (
        ("patients", "bienvenue", "Bienvenue", "Présentez-vous et posez vos premières questions."),
        (
            "patients",
            "traitements",
            "Traitements et effets secondaires",
            "Chirurgie, chimiothérapie, immunothérapie, thérapies ciblées : partager son "
            "expérience.",
        ),
        (
            "patients",
            "vie-quotidienne",
            "Vie quotidienne",
            "Fatigue, alimentation, activité physique, moral.",
        ),
        (
            "patients",
            "droits-demarches",
            "Droits et démarches",
            "ALD, arrêt de travail, temps partiel thérapeutique, assurance.",
        ),
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
            "Répit, démarches, soutien.",
        ),
    ),  # fmt: skip
    "groups": (
        {
            "name": "Mutations ALK, EGFR",
            "space": "patients",
            "proposer": "nadine",
            "members": ("soraya", "membre"),
            "description": "Pour échanger entre personnes dont la tumeur porte une mutation "
            "ciblable (ALK, EGFR, ROS1…) et qui prennent une thérapie ciblée.",
        },
        {
            "name": "Retour au travail",
            "space": "patients",
            "proposer": "claire",
            "members": ("jean", "gilles"),
            "description": "Reprendre son activité pendant ou après les traitements : temps "
            "partiel thérapeutique, médecine du travail, aménagements.",
        },
    ),  # fmt: skip
    "topics": (
        {
            "category": "bienvenue",
            "author": "modo",
            "days_ago": 6.9,
            "pinned": True,
            "title": "Bienvenue : comment fonctionnent les forums",
            "body": "Bonjour à toutes et à tous !\n\nIci, chacun écrit sous pseudonyme. Quelques "
            "repères :\n\n- **restez bienveillants**, nous traversons tous des moments "
            "difficiles ;\n- ne publiez ni numéro de téléphone, ni adresse ;\n- cochez un "
            "*avertissement* quand vous parlez de sujets sensibles (récidive, décès).\n\n"
            "Les modératrices et modérateurs sont des patients partenaires bénévoles. Les "
            "échanges ne remplacent pas l'avis de votre équipe soignante.",
            "reactions": ((0, "thanks", ("membre", "gilles", "claire")),),
        },
        {
            "category": "bienvenue",
            "author": "membre",
            "days_ago": 5.6,
            "title": "Bonjour, nouvelle ici",
            "body": "Bonjour, on m'a annoncé un cancer du poumon non à petites cellules il y a "
            "trois semaines. Je commence l'immunothérapie lundi. Je ne sais pas trop par "
            "où commencer, mais ça fait du bien de lire vos messages.",
            "replies": (
                (
                    "modo",
                    "Bienvenue @{membre} ! Prenez votre temps. La rubrique « Traitements et "
                    "effets secondaires » regorge d'expériences partagées, et vous pouvez "
                    "poser toutes vos questions ici.",
                ),
                (
                    "nadine",
                    "Bienvenue ! Les premières semaines sont les plus dures, on encaisse "
                    "beaucoup d'informations. Notez vos questions dans un carnet avant "
                    "chaque consultation, ça m'a beaucoup aidée.",
                ),
                (
                    "membre",
                    "Merci beaucoup pour l'accueil, je vais faire le tour des sujets. "
                    "L'idée du carnet est excellente.",
                ),
            ),
            "followers": ("membre",),
            "reactions": (
                (0, "courage", ("nadine", "gilles", "jean", "soraya")),
                (2, "thanks", ("membre",)),
            ),
        },
        {
            "category": "traitements",
            "author": "membre",
            "days_ago": 4.2,
            "title": "Immunothérapie : comment gérez-vous la fatigue ?",
            "body": "Je suis à ma quatrième cure d'immunothérapie et la fatigue est vraiment "
            "présente en fin de journée. Vous avez des astuces pour tenir le coup ?",
            "replies": (
                (
                    "jean",
                    "Pour moi, les courtes siestes et la marche douce ont beaucoup aidé. "
                    "N'hésitez pas à en parler à votre oncologue : la fatigue se traite "
                    "aussi, et il faut vérifier la thyroïde sous immunothérapie.",
                ),
                (
                    "gilles",
                    "Pareil ici. J'ai appris à garder les tâches importantes pour le "
                    "matin et à dire non au reste.",
                ),
                (
                    "membre",
                    "Merci, j'en parlerai à la prochaine consultation. Je ne savais pas "
                    "pour la thyroïde.",
                ),
            ),
            "followers": ("claire",),
            "reactions": ((1, "thanks", ("membre", "claire")), (2, "same", ("membre", "nadine"))),
        },
        {
            "category": "traitements",
            "author": "gilles",
            "days_ago": 1.6,
            "title": "Scanner de contrôle dans dix jours, l'angoisse monte",
            "body": "Tous les trois mois c'est pareil : plus le scanner approche, moins je dors. "
            "Ma femme dit que je suis insupportable. Comment vivez-vous l'attente des "
            "résultats ?",
            "replies": (
                (
                    "modo",
                    "On appelle ça la « scanxiété », vous n'êtes pas seul. Demandez si "
                    "vous pouvez avoir un rendez-vous de résultats le jour même ou le "
                    "lendemain, ça raccourcit l'attente.",
                ),
                (
                    "jean",
                    "Six ans de surveillance et ça ne m'a jamais quitté complètement. Je "
                    "m'organise une sortie le soir du scanner, quelque chose qui me plaît.",
                ),
                ("membre", "Courage @{gilles}, on croise les doigts pour vous."),
            ),
            "followers": ("jean",),
            "reactions": (
                (0, "support", ("membre", "jean", "nadine", "claire", "soraya")),
                (2, "thanks", ("gilles",)),
            ),
        },
        {
            "group": "Mutations ALK, EGFR",
            "author": "soraya",
            "days_ago": 3.1,
            "title": "Éruption cutanée sous osimertinib",
            "body": "Depuis trois semaines j'ai des boutons sur le visage et le haut du dos, "
            "comme de l'acné. Ma dermatologue m'a prescrit une crème. Vous avez connu "
            "ça ? Ça passe avec le temps ?",
            "replies": (
                (
                    "nadine",
                    "Sous alectinib j'ai eu surtout des douleurs musculaires, mais une "
                    "amie du groupe a eu la même éruption : elle s'est calmée après "
                    "deux mois avec les soins prescrits. Crème solaire indispensable !",
                ),
                ("soraya", "Merci @{nadine}, ça me rassure. Je tiens bon."),
            ),
            "reactions": ((1, "thanks", ("soraya",)), (0, "courage", ("nadine", "membre"))),
        },
        {
            "group": "Mutations ALK, EGFR",
            "author": "nadine",
            "days_ago": 0.4,
            "title": "Deux ans de thérapie ciblée aujourd'hui",
            "body": "Petit message d'espoir : il y a deux ans on découvrait la mutation ALK. "
            "Aujourd'hui j'ai fait 12 km dans les volcans. Prenez soin de vous.",
            "replies": (("soraya", "Magnifique, merci pour ce message !"),),
            "reactions": ((0, "courage", ("soraya", "membre", "jean")),),
        },
        {
            "group": "Retour au travail",
            "author": "claire",
            "days_ago": 2.3,
            "title": "Temps partiel thérapeutique : votre expérience ?",
            "body": "Je reprends à 50 % le mois prochain. La médecin du travail propose "
            "d'augmenter progressivement. Comment en avez-vous parlé à vos collègues ?",
            "replies": (
                (
                    "jean",
                    "J'ai dit le minimum : que je sortais d'une longue maladie et que je "
                    "reprenais progressivement. Personne n'a insisté.",
                ),
                (
                    "gilles",
                    "Le temps partiel thérapeutique m'a sauvé. Pensez aussi à demander "
                    "un poste sans déplacements au début.",
                ),
            ),
            "followers": ("membre",),
            "reactions": ((1, "thanks", ("claire",)), (2, "thanks", ("claire", "membre"))),
        },
        {
            "category": "vie-quotidienne",
            "author": "jean",
            "days_ago": 0.7,
            "title": "Activité physique adaptée : qui a essayé ?",
            "body": "Mon oncologue m'a prescrit des séances d'activité physique adaptée. Deux "
            "fois par semaine avec un éducateur, c'est doux mais je sens déjà la "
            "différence sur l'essoufflement.",
            "replies": (
                (
                    "claire",
                    "Je confirme, après la chirurgie c'est ce qui m'a redonné du "
                    "souffle. Et méfiez-vous de ceux qui vendent un remède miracle : "
                    "l'activité physique, elle, a fait ses preuves.",
                ),
            ),
            "reactions": ((0, "thanks", ("gilles", "membre")),),
        },
        {
            "category": "vie-quotidienne",
            "author": "soraya",
            "days_ago": 0.25,
            "title": "Manger quand on n'a plus d'appétit",
            "body": "Entre les nausées et le goût métallique, je n'ai plus envie de rien. "
            "Vous avez des idées de petits repas ?",
            "replies": (
                (
                    "jean",
                    "Des petites quantités souvent, plutôt froid ou tiède, et les plats "
                    "que j'aimais enfant. La diététicienne de l'hôpital est de bon "
                    "conseil.",
                ),
                (
                    "vente",
                    "Essayez nos gélules au curcuma bio, elles règlent tout ! -20 % avec "
                    "le code BIENETRE sur notre boutique en ligne.",
                ),
            ),
            "reactions": ((1, "thanks", ("soraya",)),),
        },
        {
            "category": "droits-demarches",
            "author": "membre",
            "days_ago": 2.8,
            "title": "Dossier ALD : combien de temps avez-vous attendu ?",
            "body": "Mon médecin traitant a envoyé le protocole de soins il y a trois "
            "semaines. Est-ce normal de ne pas avoir de nouvelles ?",
            "replies": (
                (
                    "modo",
                    "En général quelques semaines. Vous pouvez suivre la demande dans "
                    "votre compte ameli, rubrique « Mes démarches ».",
                ),
                ("membre", "Trouvé, c'est accepté ! Merci."),
            ),
            "reactions": ((1, "thanks", ("membre",)),),
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
                    "odile",
                    "Vous n'avez pas à culpabiliser. Les plateformes d'accompagnement "
                    "et de répit et les associations d'aidants proposent des relais ; "
                    "votre médecin traitant peut vous orienter.",
                ),
                ("proche", "Merci @{odile}, je vais en parler à notre médecin."),
            ),
            "reactions": ((0, "support", ("odile",)), (1, "thanks", ("proche",))),
        },
    ),  # fmt: skip
    "queue": {
        "held": {
            "author": "hugo",
            "category": "bienvenue",
            "hours_ago": 2,
            "title": "Premier message : chimio la semaine prochaine",
            "body": "Bonjour à tous, je m'appelle Hugo, 52 ans. On m'a trouvé un cancer "
            "à petites cellules et je commence la chimiothérapie la semaine "
            "prochaine. Qui peut me dire comment se passe la première cure ?",
        },
        "report": {
            "topic": "Manger quand on n'a plus d'appétit",
            "author": "vente",
            "reporter": "soraya",
            "reason": "advertising",
            "hours_ago": 3,
            "detail": "Publicité pour des gélules, avec un code promo.",
        },
    },  # fmt: skip
    "knowledge_categories": (
        "Diagnostic",
        "Immunothérapie",
        "Thérapies ciblées",
        "Effets secondaires",
        "Soins de support",
        "Droits et démarches",
    ),
    "articles": (
        {
            "title": "Comprendre le diagnostic d'un cancer du poumon",
            "days_ago": 120,
            "themes": ("Diagnostic",),
            "tags": ("biopsie", "scanner"),
            "summary": "Scanner, biopsie, bilan d'extension, analyses moléculaires : les "
            "examens qui précisent le type de cancer et orientent le traitement.",
            "body": "### Les examens\n\nLe diagnostic repose sur l'**imagerie** (scanner du "
            "thorax, parfois TEP-scanner) et sur une **biopsie** : un petit fragment de "
            "la tumeur est analysé au microscope.\n\n### Deux grandes familles\n\n- le "
            "cancer **non à petites cellules** (environ 85 % des cas), dont "
            "l'adénocarcinome ;\n- le cancer **à petites cellules**, qui évolue plus "
            "vite.\n\n### Le stade et les analyses moléculaires\n\nLe bilan "
            "d'extension précise le stade. Sur la biopsie, on recherche aussi des "
            "anomalies (EGFR, ALK, ROS1…) et l'expression de PD-L1, qui orientent vers "
            "une thérapie ciblée ou une immunothérapie.\n\n### La réunion de "
            "concertation\n\nVotre dossier est discuté en réunion de concertation "
            "pluridisciplinaire (RCP) avant que le plan de traitement vous soit "
            "proposé lors d'une consultation d'annonce.",
            "sources": (
                (
                    "Les traitements des cancers du poumon (guide Cancer info)",
                    INCA,
                    datetime.date(2017, 6, 1),
                ),
                (
                    "Cancers broncho-pulmoniques : parcours de soins",
                    HAS,
                    datetime.date(2013, 12, 1),
                ),
            ),
        },
        {
            "title": "L'immunothérapie : comment ça marche ?",
            "days_ago": 75,
            "themes": ("Immunothérapie",),
            "tags": ("PD-L1", "effets indésirables"),
            "summary": "L'immunothérapie aide le système immunitaire à reconnaître et attaquer "
            "les cellules cancéreuses. Ce qu'il faut savoir avant de commencer.",
            "body": "### Le principe\n\nLes **inhibiteurs de points de contrôle immunitaire** "
            "lèvent un frein que la tumeur impose aux défenses de l'organisme. Ils "
            "sont donnés en perfusion, toutes les deux à six semaines.\n\n### À "
            "surveiller\n\nDes effets inflammatoires peuvent toucher la peau, "
            "l'intestin, la thyroïde ou les poumons : signalez tout symptôme nouveau "
            "(diarrhée, toux, essoufflement, grande fatigue), même des mois après le "
            "début du traitement.\n\n### Votre carte patient\n\nGardez sur vous la "
            "carte remise par l'équipe : elle informe tout médecin que vous recevez "
            "une immunothérapie.",
            "sources": (
                (
                    "Immunothérapie : mode d'action et effets indésirables",
                    INCA,
                    datetime.date(2024, 2, 1),
                ),
            ),
        },
        {
            "title": "Thérapies ciblées : ALK, EGFR et tests moléculaires",
            "days_ago": 60,
            "themes": ("Thérapies ciblées",),
            "tags": ("ALK", "EGFR", "tests moléculaires"),
            "summary": "Quand la tumeur porte une anomalie ciblable, un traitement par "
            "comprimés peut bloquer sa croissance. Comment on le sait, ce qu'on "
            "en attend.",
            "body": "### Une anomalie recherchée d'emblée\n\nPour les cancers non à petites "
            "cellules, les plateformes de génétique moléculaire de l'INCa analysent "
            "la biopsie à la recherche de mutations (EGFR) ou de réarrangements (ALK, "
            "ROS1).\n\n### Le traitement\n\nLa thérapie ciblée se prend le plus "
            "souvent **par comprimés**, à la maison, tous les jours. Elle est "
            "poursuivie tant qu'elle est efficace et bien tolérée.\n\n### Les effets "
            "fréquents\n\n- éruptions cutanées et peau sèche ;\n- diarrhées ;\n- "
            "fatigue, douleurs musculaires selon les molécules.\n\nLa plupart se "
            "soignent bien : parlez-en dès qu'ils apparaissent.",
            "sources": (
                ("Les thérapies ciblées", INCA, datetime.date(2023, 5, 12)),
                (
                    "Les plateformes de génétique moléculaire des cancers",
                    INCA,
                    datetime.date(2022, 3, 1),
                ),
            ),
        },
        {
            "title": "Effets secondaires : les signaler et les soulager",
            "days_ago": 45,
            "themes": ("Effets secondaires",),
            "tags": ("nausées", "chimiothérapie"),
            "summary": "Nausées, troubles digestifs, atteintes de la peau, neuropathies : "
            "quand appeler l'équipe et ce qui peut soulager.",
            "body": "### Appelez sans attendre si\n\n- vous avez plus de 38 °C de fièvre "
            "pendant une chimiothérapie ;\n- vous êtes essoufflé au repos ;\n- la "
            "diarrhée dure plus de 24 heures.\n\n### Ce qui soulage souvent\n\n- les "
            "traitements contre les nausées prescrits **avant** la cure ;\n- des "
            "repas fractionnés ;\n- une crème hydratante sans parfum pour la peau.\n\n"
            "Notez vos symptômes dans un carnet : votre équipe adaptera les doses si "
            "besoin.",
            "sources": (
                ("Les effets indésirables des traitements", INCA, datetime.date(2023, 9, 1)),
                (
                    "Chimiothérapie : mieux vivre les effets secondaires",
                    LIGUE,
                    datetime.date(2022, 11, 1),
                ),
            ),
        },
        {
            "title": "La fatigue liée au cancer",
            "days_ago": 30,
            "themes": ("Soins de support", "Effets secondaires"),
            "tags": ("fatigue",),
            "summary": "La fatigue est le symptôme le plus fréquent. Elle se mesure, se "
            "comprend et se traite : anémie, sommeil, moral, activité physique.",
            "body": "### Une fatigue différente\n\nElle ne passe pas toujours avec le repos. "
            "Parlez-en : une **anémie**, un trouble de la thyroïde ou un sommeil "
            "perturbé peuvent se traiter.\n\n### Ce qui aide\n\n- une activité "
            "physique adaptée, régulière et douce ;\n- des siestes courtes ;\n- "
            "répartir l'effort dans la journée et accepter de l'aide.\n\nLes soins de "
            "support (diététique, psychologie, activité physique) sont proposés dans "
            "les établissements qui traitent le cancer.",
            "sources": (("La fatigue (soins de support)", INCA, datetime.date(2022, 6, 1)),),
        },
        {
            "title": "Activité physique adaptée pendant et après les traitements",
            "days_ago": 20,
            "themes": ("Soins de support",),
            "tags": ("activité physique",),
            "summary": "Bouger, même un peu, réduit la fatigue et améliore la qualité de vie. "
            "Votre médecin peut prescrire une activité physique adaptée.",
            "body": "### Pourquoi bouger\n\nL'activité physique réduit la fatigue, entretient "
            "le souffle et les muscles, et aide le moral.\n\n### Comment commencer\n\n"
            "Votre médecin peut **prescrire une activité physique adaptée** (APA), "
            "encadrée par un professionnel formé. Commencez doucement : 10 minutes de "
            "marche, puis augmentez selon vos sensations.\n\n### Ce qui est pris en "
            "charge\n\nCertaines mutuelles, communes et associations financent des "
            "séances ; renseignez-vous auprès de votre établissement.",
            "sources": (
                (
                    "Prescription d'activité physique et sportive : cancers",
                    HAS,
                    datetime.date(2022, 7, 1),
                ),
                ("Activité physique et cancer", INCA, datetime.date(2023, 1, 1)),
            ),
        },
        {
            "title": "ALD : faire reconnaître une affection de longue durée",
            "days_ago": 90,
            "themes": ("Droits et démarches",),
            "tags": ("ALD", "Assurance maladie"),
            "summary": "Le cancer ouvre droit à la prise en charge à 100 % des soins liés à la "
            "maladie. Les étapes pour la demander.",
            "body": "### Qui fait la demande ?\n\nLe **médecin traitant** remplit le "
            "protocole de soins et l'envoie à l'Assurance maladie, qui répond en "
            "quelques semaines.\n\n### Ce qui est couvert\n\nLes soins et traitements "
            "en rapport avec la maladie, sur la base du tarif de la Sécurité sociale. "
            "Les dépassements d'honoraires et le forfait hospitalier restent à votre "
            "charge ou à celle de votre complémentaire.\n\n### Transports\n\nCertains "
            "transports liés aux soins peuvent être pris en charge sur prescription.",
            "sources": (
                ("Affection de longue durée (ALD)", SERVICE_PUBLIC, datetime.date(2024, 1, 1)),
                ("Affection de longue durée : démarches", AMELI, datetime.date(2024, 3, 1)),
            ),
        },
        {
            "title": "Reprendre le travail : temps partiel thérapeutique",
            "days_ago": 10,
            "themes": ("Droits et démarches",),
            "tags": ("travail",),
            "summary": "Reprendre progressivement, avec des indemnités journalières qui "
            "complètent le salaire : les conditions et les étapes.",
            "body": "### Le principe\n\nLe **temps partiel thérapeutique** permet de "
            "reprendre à temps réduit, sur prescription du médecin, avec l'accord de "
            "l'Assurance maladie et de l'employeur.\n\n### Les étapes\n\n1. "
            "prescription par le médecin traitant ou l'oncologue ;\n2. visite de "
            "pré-reprise avec le médecin du travail, qui peut proposer des "
            "aménagements ;\n3. accord de l'employeur sur le temps de travail.\n\nLes "
            "indemnités journalières compensent en partie la baisse de salaire.",
            "sources": (
                (
                    "Temps partiel thérapeutique (mi-temps thérapeutique) du salarié",
                    SERVICE_PUBLIC,
                    datetime.date(2024, 1, 1),
                ),
            ),
        },
    ),  # fmt: skip
}

# The network's events (tenant_apps/events/seeds.py): ``days`` from today, ``time`` in the
# network's time zone; past webinars with their questions and replay, what is coming with
# its registrations. Registrants of a space's event are members who see that space.
VISIO = "https://visio.mon-reseau-poumon.demo.invalid"
REPLAY = "https://replay.mon-reseau-poumon.demo.invalid"
CONTENT["events"] = (
    {
        "title": "Octobre rose : les femmes et le cancer du poumon",
        "format": "webinar",
        "days": -47,
        "time": (18, 0),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/octobre-rose",
        "description": "En octobre, on parle du cancer du sein. Nous parlons aussi du cancer "
        "du poumon chez les femmes, qui progresse : tabac, mais pas seulement, symptômes "
        "souvent tardifs, dépistage en cours d'expérimentation.\n\nUne heure avec une "
        "pneumologue, et vos questions écrites, en direct.",
        "speakers": (("Dr Anne Morel", "pneumologue, centre hospitalier de Lyon-Sud"),),
        "registrants": ("membre", "nadine", "soraya", "claire", "proche", "odile", "modo"),
        "questions": (
            {"by": "soraya", "text": "Je n'ai jamais fumé : pourquoi moi ? Y a-t-il d'autres "
             "causes connues ?", "votes": ("nadine", "claire", "membre"), "answered_after": 12},
            {"by": "claire", "text": "Le dépistage par scanner faible dose existe-t-il en France "
             "pour les femmes qui ont fumé ?", "votes": ("soraya",), "answered_after": 27},
            {"by": "odile", "anonymous": True, "text": "Ma mère a été diagnostiquée tard. Quels "
             "signes auraient dû nous alerter ?", "votes": ("proche", "nadine"),
             "answered_after": 41},
        ),
        "replay": {
            "url": f"{REPLAY}/octobre-rose",
            "chapters": (
                (0, "Introduction : le cancer du poumon chez les femmes", ()),
                (540, "Les causes en dehors du tabac", (0,)),
                (1560, "Le dépistage : où en est-on ?", (1,)),
                (2400, "Les signes qui doivent alerter", (2,)),
            ),
        },
    },
    {
        "title": "Immunothérapie : gérer les effets secondaires",
        "format": "webinar",
        "days": -33,
        "time": (18, 0),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/immunotherapie",
        "description": "Novembre, mois du cancer du poumon. L'immunothérapie est souvent "
        "bien tolérée, mais certains effets secondaires doivent être signalés vite : "
        "lesquels, à qui, et comment vivre avec la fatigue ou les problèmes de peau.\n\n"
        "Envoyez vos questions à l'avance ou pendant le webinaire.",
        "speakers": (
            ("Dr Karim Benali", "pneumologue, oncologie thoracique"),
            ("Sophie Laurent", "infirmière de coordination"),
        ),
        "registrants": ("membre", "nadine", "gilles", "soraya", "jean", "claire", "hugo", "modo"),
        "questions": (
            {"by": "membre", "text": "Des démangeaisons depuis la troisième cure : faut-il "
             "arrêter le traitement ?", "votes": ("nadine", "claire", "hugo", "soraya"),
             "answered_after": 9},
            {"by": "gilles", "text": "Une diarrhée qui dure plus de deux jours, j'appelle qui "
             "en premier : l'oncologue ou le généraliste ?", "votes": ("jean", "membre"),
             "answered_after": 22},
            {"by": "hugo", "anonymous": True, "text": "La fatigue est-elle un signe que le "
             "traitement marche ?", "votes": ("gilles", "nadine", "membre"),
             "answered_after": 35},
            {"by": "nadine", "text": "Peut-on se faire vacciner contre la grippe pendant "
             "l'immunothérapie ?", "votes": ("claire",), "answered_after": 48},
        ),
        "replay": {
            "url": f"{REPLAY}/immunotherapie",
            "chapters": (
                (0, "Comment agit l'immunothérapie", ()),
                (420, "La peau : démangeaisons et éruptions", (0,)),
                (1260, "Le tube digestif : quand s'inquiéter", (1,)),
                (2040, "La fatigue au quotidien", (2,)),
                (2820, "Vaccins et traitements", (3,)),
            ),
        },
    },
    {
        "title": "Essoufflement : mieux respirer au quotidien",
        "format": "webinar",
        "days": -26,
        "time": (14, 30),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/essoufflement",
        "description": "Exercices de respiration, position pour dormir, activité physique "
        "adaptée : ce qui aide quand on manque de souffle, après une chirurgie ou pendant "
        "les traitements.",
        "speakers": (
            ("Marc Giraud", "kinésithérapeute respiratoire"),
            ("Dr Anne Morel", "pneumologue, centre hospitalier de Lyon-Sud"),
        ),
        "registrants": ("jean", "gilles", "nadine", "hugo", "membre"),
        "questions": (
            {"by": "jean", "text": "Opéré d'une lobectomie il y a six ans, je m'essouffle "
             "encore dans les escaliers. Est-ce trop tard pour la rééducation ?",
             "votes": ("gilles", "nadine"), "answered_after": 15},
            {"by": "nadine", "text": "Quels exercices faire chez soi quand on ne peut pas "
             "sortir ?", "votes": ("membre", "hugo"), "answered_after": 31},
        ),
        "replay": {
            "url": f"{REPLAY}/essoufflement",
            "chapters": (
                (0, "Pourquoi on s'essouffle", ()),
                (780, "La rééducation, à tout âge", (0,)),
                (1800, "Exercices à faire chez soi", (1,)),
            ),
        },
    },
    {
        "title": "Fatigue et alimentation pendant les traitements",
        "format": "webinar",
        "days": -19,
        "time": (18, 0),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/alimentation",
        "description": "Perte d'appétit, goût modifié, poids qui baisse : une diététicienne "
        "et une oncologue répondent à vos questions, sans régime miracle.",
        "speakers": (
            ("Julie Perrin", "diététicienne, soins de support"),
            ("Dr Hélène Roux", "oncologue médicale"),
        ),
        "registrants": ("membre", "soraya", "claire", "hugo", "proche", "odile"),
        "questions": (
            {"by": "proche", "text": "Mon mari ne mange presque plus. Les compléments "
             "nutritionnels sont-ils remboursés ?", "votes": ("odile", "claire"),
             "answered_after": 18},
            {"by": "claire", "text": "Le jeûne avant la chimiothérapie, bonne ou mauvaise "
             "idée ?", "votes": ("soraya", "membre", "hugo"), "answered_after": 33},
        ),
        "replay": {
            "url": f"{REPLAY}/alimentation",
            "chapters": (
                (0, "Pourquoi l'appétit change", ()),
                (960, "Compléments nutritionnels : prescription et remboursement", (0,)),
                (1980, "Jeûne et régimes : ce que l'on sait", (1,)),
            ),
        },
    },
    {
        "title": "Reprendre le travail après un cancer du poumon",
        "format": "webinar",
        "days": 9,
        "time": (18, 0),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/reprendre-le-travail",
        "description": "Temps partiel thérapeutique, visite de pré-reprise, aménagement du "
        "poste, reconnaissance de travailleur handicapé : une médecin du travail et une "
        "assistante sociale répondent à vos questions.",
        "speakers": (
            ("Dr Isabelle Faure", "médecin du travail"),
            ("Nathalie Blanc", "assistante sociale"),
        ),
        "registrants": ("membre", "gilles", "claire", "hugo", "soraya"),
        "questions": (
            {"by": "hugo", "text": "Mon employeur peut-il refuser le temps partiel "
             "thérapeutique ?", "votes": ("claire", "gilles", "membre")},
            {"by": "claire", "anonymous": True, "text": "Dois-je dire à mes collègues que "
             "j'ai eu un cancer ?", "votes": ("soraya",)},
            {"by": "gilles", "text": "Artisan, je n'ai pas de médecin du travail : qui "
             "m'accompagne ?"},
        ),
    },
    {
        "title": "Marche douce au parc de la Tête d'Or",
        "format": "in_person",
        "days": 12,
        "time": (10, 0),
        "minutes": 120,
        "place": "Parc de la Tête d'Or, entrée des Enfants du Rhône, 69006 Lyon",
        "accessibility": "Parcours de 3 km sur allées plates, bancs tous les 300 m, toilettes "
        "accessibles à l'entrée. Allure libre : on attend tout le monde.",
        "description": "Une balade tranquille entre membres, suivie d'un café pour ceux qui le "
        "souhaitent. Venez avec des chaussures confortables et de l'eau.",
        "capacity": 10,
        "registrants": ("membre", "nadine", "gilles", "soraya", "jean", "claire", "hugo",
                        "modo", "admin"),  # fmt: skip
    },
    {
        "title": "Café des proches aidants",
        "format": "other",
        "days": 5,
        "time": (14, 0),
        "minutes": 90,
        "space": "proches-aidants",
        "place": "Maison des usagers, hôpital Louis-Pradel, 69500 Bron",
        "accessibility": "Rez-de-chaussée, accès de plain-pied.",
        "description": "Un moment entre proches, sans les patients, pour souffler et partager "
        "ce qui aide. Animé par une psychologue.",
        "speakers": (("Camille Fabre", "psychologue"),),
        "registrants": ("proche", "odile"),
    },
    {
        "title": "Atelier sophrologie",
        "format": "other",
        "days": 16,
        "time": (15, 0),
        "minutes": 60,
        "online": True,
        "description": "Une séance de sophrologie en ligne pour apprendre à se détendre avant "
        "un examen ou une consultation.",
        "speakers": (("Agnès Vidal", "sophrologue"),),
        "cancelled": True,
    },
)  # fmt: skip

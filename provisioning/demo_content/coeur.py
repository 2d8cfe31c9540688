"""Stent.care: the social network of people living with a heart or vascular disease."""

import datetime

from provisioning.demo_content import (
    AGEFIPH,
    AMELI,
    ANSM,
    FFC,
    HAS,
    MANGER_BOUGER,
    MON_PARCOURS_HANDICAP,
    SERVICE_PUBLIC,
)
from tenant_apps.members.models import ProfileType

MI = "Infarctus du myocarde"
ANGINA = "Angor (angine de poitrine)"
HEART_FAILURE = "Insuffisance cardiaque"
PAD = "Artériopathie des membres inférieurs"
STENT = "Pose de stent"

CONTENT = {
    "spaces": ("patients", "proches-aidants"),
    "pathologies": (MI, ANGINA, HEART_FAILURE, PAD, STENT),
    "members": (
        {
            "key": "membre",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (MI, STENT),
            "department": "38",
            "colour": "#9b1c1f",
            "joined_days_ago": 30,
            "bio": "Infarctus à 54 ans, deux stents. En réadaptation cardiaque.",
        },
        {
            "key": "modo",
            "profile_type": ProfileType.FORMER_PATIENT,
            "pathologies": (MI, STENT),
            "department": "67",
            "colour": "#1d5c4d",
            "joined_days_ago": 700,
            "bio": "Stenté depuis huit ans, cycliste, patient partenaire et modérateur.",
        },
        {
            "key": "proche",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (HEART_FAILURE,),
            "department": "76",
            "colour": "#5b2a86",
            "joined_days_ago": 200,
            "bio": "Mon mari vit avec une insuffisance cardiaque.",
        },
        {
            "key": "patrick",
            "pseudonym": "Patrick_DAI",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (HEART_FAILURE,),
            "department": "54",
            "colour": "#375a9e",
            "joined_days_ago": 500,
            "bio": "Porteur d'un défibrillateur depuis 2021. Reconnu travailleur handicapé.",
        },
        {
            "key": "fatou",
            "pseudonym": "Fatou.D",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (ANGINA, STENT),
            "department": "94",
            "colour": "#00796b",
            "joined_days_ago": 60,
            "bio": "Angor, un stent posé cet été. Aide-soignante.",
        },
        {
            "key": "michel",
            "pseudonym": "Michel-Vendee",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (PAD,),
            "department": "85",
            "colour": "#a0522d",
            "joined_days_ago": 365,
            "bio": "Artériopathie, je marche tous les jours.",
        },
        {
            "key": "elodie",
            "pseudonym": "Elodie_K",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (MI, STENT),
            "department": "31",
            "colour": "#6b4f9e",
            "joined_days_ago": 150,
            "bio": "Dissection coronaire à 41 ans, maman et professeure des écoles.",
        },
        {
            "key": "bernard",
            "pseudonym": "Bernard63",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (HEART_FAILURE,),
            "department": "63",
            "colour": "#546e7a",
            "joined_days_ago": 8,
        },
        {
            "key": "chantal",
            "pseudonym": "Chantal_R",
            "profile_type": ProfileType.CAREGIVER,
            "pathologies": (MI,),
            "department": "17",
            "colour": "#c2185b",
            "joined_days_ago": 400,
            "bio": "Épouse d'un ancien infarctus, bénévole.",
        },
        {
            "key": "thierry",
            "pseudonym": "Thierry_S",
            "profile_type": ProfileType.PATIENT,
            "pathologies": (ANGINA,),
            "department": "13",
            "colour": "#455a64",
            "joined_days_ago": 3,
        },
    ),
    "forum_categories": (
        ("patients", "bienvenue", "Bienvenue", "Présentez-vous et posez vos premières questions."),
        (
            "patients",
            "angioplastie-stent",
            "Angioplastie et stent",
            "Coronarographie, pose de stent, les suites de l'intervention.",
        ),
        (
            "patients",
            "traitements",
            "Traitements",
            "Anticoagulants, antiagrégants, bêtabloquants, statines : vivre avec ses médicaments.",
        ),
        (
            "patients",
            "readaptation-sport",
            "Réadaptation et reprise du sport",
            "Réadaptation cardiaque, activité physique, essoufflement.",
        ),
        (
            "patients",
            "defibrillateur",
            "Vivre avec un défibrillateur",
            "DAI, stimulateur : la vie quotidienne avec un appareil implanté.",
        ),
        (
            "patients",
            "handicap-travail",
            "Handicap, MDPH et travail",
            "Reconnaissance du handicap, RQTH, aménagement du poste, reprise du travail.",
        ),
        (
            "patients",
            "alimentation",
            "Alimentation et vie quotidienne",
            "Manger pour son cœur, sel, tabac, sommeil, moral.",
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
            "Vivre aux côtés d'un proche cardiaque : peur, répit, démarches.",
        ),
    ),  # fmt: skip
    "groups": (
        {
            "name": "Porteurs de défibrillateur (DAI)",
            "space": "patients",
            "proposer": "patrick",
            "members": ("membre", "bernard"),
            "description": "Entre porteurs d'un défibrillateur automatique implantable : chocs, "
            "conduite, voyages, sport, appréhension.",
        },
        {
            "name": "Cœur et travail : RQTH, aménagements",
            "space": "patients",
            "proposer": "fatou",
            "members": ("patrick", "elodie"),
            "description": "Reprendre ou garder son emploi avec une maladie cardiaque : RQTH, "
            "médecine du travail, aménagement du poste.",
        },
        {
            "name": "Marcheurs du cœur",
            "space": "patients",
            "proposer": "michel",
            "members": ("modo", "membre", "fatou"),
            "description": "On se motive à marcher, quel que soit son rythme. Artériopathie "
            "bienvenue !",
        },
    ),  # fmt: skip
    "topics": (
        {
            "category": "bienvenue",
            "author": "modo",
            "days_ago": 6.9,
            "pinned": True,
            "title": "Bienvenue sur Stent.care",
            "body": "Bonjour à toutes et à tous !\n\nStent.care réunit les personnes qui "
            "vivent avec une maladie du cœur ou des vaisseaux, et leurs proches dans "
            "leur propre espace.\n\n- écrivez sous pseudonyme ;\n- ne changez jamais "
            "un traitement sans avis médical, même sur un conseil lu ici ;\n- douleur "
            "dans la poitrine qui dure : appelez le 15.",
            "reactions": ((0, "thanks", ("membre", "fatou", "elodie")),),
        },
        {
            "category": "angioplastie-stent",
            "author": "membre",
            "days_ago": 5.4,
            "title": "Deux stents après mon infarctus : vos premières semaines ?",
            "body": "On m'a posé deux stents il y a trois semaines après un infarctus. Je "
            "suis fatigué et j'ai peur au moindre pincement dans la poitrine. "
            "C'était pareil pour vous ?",
            "replies": (
                (
                    "modo",
                    "Bienvenue @{membre}. Oui, cette vigilance permanente est très "
                    "fréquente au début. La réadaptation cardiaque aide beaucoup à "
                    "reprendre confiance dans son cœur.",
                ),
                (
                    "elodie",
                    "Pareil pour moi après mon stent. J'ai noté mes sensations dans "
                    "un carnet pour en parler au cardiologue, ça m'a rassurée.",
                ),
                ("membre", "Merci, je commence la réadaptation lundi."),
            ),
            "followers": ("membre", "fatou"),
            "reactions": (
                (0, "courage", ("modo", "elodie", "fatou", "patrick")),
                (1, "thanks", ("membre",)),
                (2, "thanks", ("membre",)),
            ),
        },
        {
            "category": "angioplastie-stent",
            "author": "fatou",
            "days_ago": 2.2,
            "title": "Stent actif ou non : quelle différence ?",
            "body": "Mon compte rendu parle de « stent actif ». Mon voisin a eu un stent nu "
            "il y a quinze ans. Est-ce que ça change le traitement ?",
            "replies": (
                (
                    "modo",
                    "Les stents actifs libèrent un médicament qui limite la "
                    "re-sténose. C'est le cardiologue qui fixe la durée de la double "
                    "antiagrégation : posez-lui la question.",
                ),
                (
                    "membre",
                    "Mon cardiologue m'a expliqué la même chose, et de ne jamais "
                    "arrêter l'aspirine de moi-même.",
                ),
            ),
            "reactions": ((1, "thanks", ("fatou", "elodie")),),
        },
        {
            "category": "traitements",
            "author": "elodie",
            "days_ago": 3.9,
            "title": "Anticoagulant ou antiagrégant, je m'y perds",
            "body": "Entre l'aspirine, le clopidogrel et l'anticoagulant de ma mère, je "
            "mélange tout. Quelqu'un peut m'expliquer simplement ?",
            "replies": (
                (
                    "modo",
                    "En gros : les antiagrégants empêchent les plaquettes de "
                    "s'agglutiner (c'est le traitement après un stent), les "
                    "anticoagulants agissent sur la coagulation (fibrillation "
                    "atriale, phlébite). L'article de la base de connaissances le "
                    "résume bien.",
                ),
                ("patrick", "Et toujours prévenir le dentiste !"),
            ),
            "reactions": ((1, "thanks", ("elodie", "membre", "fatou")),),
        },
        {
            "category": "readaptation-sport",
            "author": "membre",
            "days_ago": 1.3,
            "title": "Réadaptation cardiaque : fin de la première semaine",
            "body": "Vélo, marche, séances d'éducation thérapeutique : je suis épuisé mais "
            "je retrouve confiance. L'équipe surveille tout, c'est rassurant.",
            "replies": (
                (
                    "michel",
                    "Bravo ! La réadaptation m'a appris à écouter mon corps. Tenez "
                    "bon, les progrès viennent vite.",
                ),
                (
                    "modo",
                    "Profitez-en pour poser toutes vos questions sur la reprise du "
                    "sport : c'est le bon moment.",
                ),
            ),
            "reactions": ((0, "courage", ("michel", "modo", "elodie")),),
        },
        {
            "category": "readaptation-sport",
            "author": "michel",
            "days_ago": 0.5,
            "title": "Reprise du vélo après un stent : à quel rythme ?",
            "body": "Mon cardiologue m'autorise le vélo après l'épreuve d'effort. Ceux qui "
            "ont repris, vous avez utilisé un cardiofréquencemètre ?",
            "replies": (
                (
                    "modo",
                    "Oui, avec la fréquence cible donnée après l'épreuve d'effort. Et "
                    "les règles d'or : échauffement, pas de sport par grand froid, "
                    "jamais de cigarette autour de l'effort.",
                ),
            ),
            "reactions": ((1, "thanks", ("michel", "membre")),),
        },
        {
            "group": "Porteurs de défibrillateur (DAI)",
            "author": "patrick",
            "days_ago": 4.7,
            "title": "Mon premier choc, trois ans après la pose",
            "body": "Samedi, j'ai reçu mon premier choc en jardinant. Impressionnant, mais je "
            "suis allé bien. Le cardiologue a relu l'appareil : il a fait son "
            "travail.",
            "replies": (
                (
                    "bernard",
                    "Je viens d'être implanté et c'est ce qui me fait le plus peur. "
                    "Merci de le raconter.",
                ),
                (
                    "patrick",
                    "@{bernard} la peur diminue avec le temps, promis. Demandez "
                    "aussi le suivi à distance de l'appareil.",
                ),
            ),
            "followers": ("bernard",),
            "reactions": (
                (0, "support", ("bernard", "membre", "modo")),
                (2, "thanks", ("bernard",)),
            ),
        },
        {
            "category": "handicap-travail",
            "author": "patrick",
            "days_ago": 3.0,
            "title": "RQTH obtenue : ce que ça a changé",
            "body": "J'ai obtenu la reconnaissance de la qualité de travailleur handicapé "
            "(RQTH) via la MDPH. Mon employeur a financé un siège adapté et j'ai "
            "réduit les déplacements, avec l'aide de l'Agefiph.",
            "replies": (
                ("fatou", "Combien de temps a pris le dossier MDPH ?"),
                (
                    "patrick",
                    "Environ quatre mois. Le certificat médical du cardiologue "
                    "doit bien décrire les limitations au quotidien.",
                ),
                ("elodie", "Merci, je vais monter mon dossier."),
            ),
            "followers": ("fatou", "elodie"),
            "reactions": ((0, "thanks", ("fatou", "elodie", "membre")), (2, "thanks", ("fatou",))),
        },
        {
            "group": "Cœur et travail : RQTH, aménagements",
            "author": "fatou",
            "days_ago": 0.9,
            "title": "Aide-soignante avec un stent : porter les patients ?",
            "body": "La médecine du travail propose un aménagement de poste pour éviter les "
            "manutentions lourdes. Quelqu'un a vécu ça dans le soin ?",
            "replies": (
                (
                    "patrick",
                    "Demandez une étude de poste : un ergonome peut intervenir, "
                    "financé en partie par l'Agefiph.",
                ),
            ),
            "reactions": ((1, "thanks", ("fatou",)),),
        },
        {
            "category": "alimentation",
            "author": "michel",
            "days_ago": 2.7,
            "title": "Moins de sel sans perdre le goût",
            "body": "Le cardiologue m'a demandé de réduire le sel. Vos astuces ? Pour "
            "l'instant tout me semble fade.",
            "replies": (
                (
                    "elodie",
                    "Herbes, épices, citron, ail : au bout de trois semaines le goût "
                    "s'habitue, c'est étonnant.",
                ),
                (
                    "bernard",
                    "Le pain et la charcuterie m'apportaient la moitié de mon sel, "
                    "je ne m'en doutais pas.",
                ),
                (
                    "thierry",
                    "Il paraît que l'ail cru est un remède miracle qui débouche les "
                    "artères, il faut en manger une tête par jour.",
                ),
            ),
            "reactions": ((1, "thanks", ("michel", "membre")), (2, "same", ("michel",))),
        },
        {
            "category": "aider-sans-s-epuiser",
            "author": "proche",
            "days_ago": 1.8,
            "title": "Peur de laisser mon mari seul",
            "body": "Depuis son hospitalisation pour insuffisance cardiaque, je n'ose plus "
            "sortir. Je surveille sa respiration la nuit.",
            "replies": (
                (
                    "chantal",
                    "C'est une peur très partagée. Le programme d'éducation "
                    "thérapeutique apprend aussi aux proches les signes qui doivent "
                    "alerter : cela m'a beaucoup rassurée.",
                ),
            ),
            "reactions": ((0, "support", ("chantal",)), (1, "thanks", ("proche",))),
        },
    ),  # fmt: skip
    "queue": {
        "held": {
            "author": "thierry",
            "category": "angioplastie-stent",
            "hours_ago": 1,
            "title": "Coronarographie demain, je stresse",
            "body": "Bonjour, on me fait une coronarographie demain, peut-être avec "
            "un stent. Comment ça se passe, on est réveillé ?",
        },
        "report": {
            "topic": "Moins de sel sans perdre le goût",
            "author": "thierry",
            "reporter": "elodie",
            "reason": "medical",
            "hours_ago": 5,
            "detail": "Conseil médical faux et potentiellement dangereux.",
        },
    },  # fmt: skip
    "knowledge_categories": (
        "Angioplastie et stent",
        "Réadaptation cardiaque",
        "Traitements",
        "Défibrillateur",
        "Sport et alimentation",
        "Handicap et travail",
    ),
    "articles": (
        {
            "title": "Angioplastie et pose de stent : comment ça se passe ?",
            "days_ago": 150,
            "themes": ("Angioplastie et stent",),
            "tags": ("stent", "coronarographie"),
            "summary": "Pour rouvrir une artère coronaire rétrécie ou bouchée, le cardiologue "
            "gonfle un ballonnet et pose un stent, un petit ressort métallique.",
            "body": "### L'intervention\n\nSous anesthésie locale, le cardiologue passe une "
            "sonde par l'artère du poignet (ou de l'aine) jusqu'au cœur. Il repère le "
            "rétrécissement par **coronarographie**, le dilate avec un ballonnet, puis "
            "pose un **stent**.\n\n### Stent nu, stent actif\n\nLa plupart des stents "
            "posés aujourd'hui sont **actifs** : ils libèrent un médicament qui "
            "limite le risque que l'artère se rétrécisse à nouveau.\n\n### Après\n\n"
            "Une courte hospitalisation, puis un traitement antiagrégant à ne jamais "
            "interrompre sans avis du cardiologue.",
            "sources": (
                ("Angioplastie coronaire et pose de stent", FFC, datetime.date(2023, 3, 1)),
                ("Infarctus du myocarde : traitement", AMELI, datetime.date(2024, 2, 1)),
            ),
        },
        {
            "title": "Après un stent : les premières semaines",
            "days_ago": 110,
            "themes": ("Angioplastie et stent",),
            "tags": ("stent", "convalescence"),
            "summary": "Fatigue, vigilance, reprise de la conduite et du travail : ce qui est "
            "normal et ce qui doit faire appeler.",
            "body": "### Ce qui est fréquent\n\n- une fatigue de quelques semaines ;\n- un "
            "hématome au point de ponction ;\n- l'inquiétude au moindre symptôme.\n\n"
            "### Appelez le 15 si\n\nune douleur dans la poitrine dure plus de "
            "quelques minutes, au repos, ou ne cède pas à la trinitrine prescrite.\n\n"
            "### Reprendre\n\nLa conduite, le travail et l'activité physique "
            "reprennent selon l'avis du cardiologue, souvent après une **réadaptation "
            "cardiaque**.",
            "sources": (
                (
                    "Infarctus du myocarde : après l'hospitalisation",
                    AMELI,
                    datetime.date(2024, 2, 1),
                ),
                ("Vivre après un infarctus", FFC, datetime.date(2022, 9, 1)),
            ),
        },
        {
            "title": "La réadaptation cardiaque",
            "days_ago": 95,
            "themes": ("Réadaptation cardiaque",),
            "tags": ("réadaptation",),
            "summary": "Quelques semaines d'exercices encadrés et d'éducation thérapeutique "
            "après un infarctus, un stent ou une insuffisance cardiaque.",
            "body": "### Pour qui\n\nAprès un infarctus, une angioplastie, une chirurgie "
            "cardiaque ou en cas d'insuffisance cardiaque.\n\n### Le programme\n\n- "
            "réentraînement à l'effort, sur vélo et en marche, sous surveillance ;\n"
            "- éducation thérapeutique : traitements, alimentation, signes "
            "d'alerte ;\n- aide à l'arrêt du tabac et soutien psychologique.\n\n"
            "### En centre ou en ambulatoire\n\nLes séances ont lieu en "
            "hospitalisation complète ou de jour, sur prescription du cardiologue.",
            "sources": (
                (
                    "Maladie coronarienne stable : guide du parcours de soins",
                    HAS,
                    datetime.date(2016, 9, 1),
                ),
                ("La réadaptation cardiaque", FFC, datetime.date(2023, 1, 1)),
            ),
        },
        {
            "title": "Anticoagulants et antiagrégants plaquettaires",
            "days_ago": 60,
            "themes": ("Traitements",),
            "tags": ("anticoagulants", "antiagrégants"),
            "summary": "Deux familles de médicaments qui fluidifient le sang, pour des raisons "
            "différentes. Les bons réflexes au quotidien.",
            "body": "### Les antiagrégants\n\nAspirine, clopidogrel, ticagrélor, prasugrel : "
            "ils empêchent les plaquettes de former un caillot dans les artères. Après "
            "un stent, deux antiagrégants sont souvent associés pendant plusieurs "
            "mois.\n\n### Les anticoagulants\n\nAntivitamines K ou anticoagulants "
            "oraux directs : ils agissent sur la coagulation, par exemple en cas de "
            "fibrillation atriale ou de phlébite.\n\n### Les bons réflexes\n\n- ne "
            "jamais arrêter seul ;\n- prévenir tout soignant, dentiste compris ;\n- "
            "pas d'anti-inflammatoire sans avis médical ;\n- signaler tout "
            "saignement inhabituel.",
            "sources": (
                (
                    "Les anticoagulants en France : état des lieux et surveillance",
                    ANSM,
                    datetime.date(2014, 7, 1),
                ),
                ("Les traitements de la maladie coronaire", FFC, datetime.date(2023, 5, 1)),
            ),
        },
        {
            "title": "Vivre avec un défibrillateur implantable",
            "days_ago": 50,
            "themes": ("Défibrillateur",),
            "tags": ("DAI", "chocs"),
            "summary": "Le défibrillateur automatique implantable surveille le rythme du "
            "cœur et le corrige. Conduite, voyages, téléphone, sport : les repères.",
            "body": "### Ce qu'il fait\n\nLe **DAI** détecte les troubles du rythme graves "
            "et les traite, par stimulation ou par un choc électrique.\n\n### Au "
            "quotidien\n\n- gardez sur vous la carte de porteur ;\n- téléphone à plus "
            "de 15 cm du boîtier ;\n- signalez l'appareil aux contrôles de sécurité "
            "des aéroports ;\n- la conduite reprend selon l'avis du cardiologue et la "
            "réglementation.\n\n### Après un choc\n\nUn choc isolé alors que vous "
            "allez bien : prévenez votre centre de suivi. Plusieurs chocs, ou un "
            "malaise : appelez le 15.",
            "sources": (
                ("Le défibrillateur automatique implantable", FFC, datetime.date(2022, 4, 1)),
            ),
        },
        {
            "title": "Reprendre le sport après un accident cardiaque",
            "days_ago": 35,
            "themes": ("Sport et alimentation", "Réadaptation cardiaque"),
            "tags": ("sport", "stent"),
            "summary": "L'activité physique régulière protège le cœur. Reprendre après une "
            "épreuve d'effort, progressivement, en respectant quelques règles.",
            "body": "### Après l'épreuve d'effort\n\nLe cardiologue fixe une fréquence "
            "cardiaque cible. Marche rapide, vélo, natation : l'endurance modérée est "
            "la plus recommandée.\n\n### Les règles d'or\n\n- s'échauffer et "
            "récupérer ;\n- boire régulièrement ;\n- éviter les efforts par grand "
            "froid ou grande chaleur ;\n- ne jamais fumer autour de l'effort ;\n- "
            "signaler toute douleur, palpitation ou essoufflement inhabituel.\n\nLes "
            "clubs Cœur et Santé proposent des activités encadrées.",
            "sources": (
                ("Les 10 règles d'or du sportif", FFC, datetime.date(2021, 6, 1)),
                (
                    "Prescription d'activité physique et sportive : maladies cardiovasculaires",
                    HAS,
                    datetime.date(2022, 7, 1),
                ),
            ),
        },
        {
            "title": "Alimentation pour le cœur : les repères",
            "days_ago": 22,
            "themes": ("Sport et alimentation",),
            "tags": ("alimentation", "sel"),
            "summary": "Moins de sel, plus de fruits et légumes, de légumineuses et de bonnes "
            "graisses : une alimentation de type méditerranéen protège le cœur.",
            "body": "### Les repères\n\n- moins de sel : pain, charcuterie, fromages et plats "
            "préparés en apportent beaucoup ;\n- des fruits et légumes à chaque "
            "repas ;\n- des légumineuses plusieurs fois par semaine ;\n- l'huile "
            "d'olive ou de colza plutôt que le beurre ;\n- du poisson deux fois par "
            "semaine.\n\n### Le goût\n\nHerbes, épices, citron et ail remplacent le "
            "sel : le palais s'habitue en quelques semaines.",
            "sources": (
                ("Alimentation et cœur", FFC, datetime.date(2023, 2, 1)),
                ("Les recommandations alimentaires", MANGER_BOUGER, datetime.date(2024, 1, 1)),
            ),
        },
        {
            "title": "Handicap d'origine cardiaque : les démarches auprès de la MDPH",
            "days_ago": 80,
            "themes": ("Handicap et travail",),
            "tags": ("MDPH", "handicap"),
            "summary": "Une maladie cardiaque peut limiter la vie quotidienne. La MDPH évalue "
            "ces limitations et ouvre des droits.",
            "body": "### La MDPH\n\nLa **maison départementale des personnes handicapées** "
            "reçoit une seule demande pour plusieurs droits : RQTH, carte mobilité "
            "inclusion, allocation aux adultes handicapés, prestation de "
            "compensation.\n\n### Le dossier\n\n- le formulaire de demande ;\n- un "
            "**certificat médical** récent, qui décrit précisément les limitations "
            "(essoufflement, fatigue, périmètre de marche) ;\n- un justificatif "
            "d'identité et de domicile.\n\nDécrivez votre quotidien dans le projet "
            "de vie : c'est ce que la commission lit.",
            "sources": (
                ("Demande à la MDPH", MON_PARCOURS_HANDICAP, datetime.date(2024, 1, 1)),
                (
                    "Maison départementale des personnes handicapées (MDPH)",
                    SERVICE_PUBLIC,
                    datetime.date(2024, 1, 1),
                ),
            ),
        },
        {
            "title": "RQTH : la reconnaissance de la qualité de travailleur handicapé",
            "days_ago": 55,
            "themes": ("Handicap et travail",),
            "tags": ("RQTH", "travail"),
            "summary": "La RQTH donne accès à des aides pour garder ou retrouver un emploi. "
            "L'employeur n'a pas à être informé si vous ne le souhaitez pas.",
            "body": "### À quoi elle sert\n\n- aménagement du poste et des horaires ;\n- "
            "aides de l'**Agefiph** (secteur privé) ou du FIPHFP (fonction "
            "publique) ;\n- accompagnement par Cap emploi.\n\n### La demander\n\n"
            "Auprès de la MDPH, avec le certificat médical. Elle est accordée pour "
            "une durée déterminée, ou sans limite si le handicap est durable.\n\n"
            "### Le dire ou non\n\nC'est votre choix : vous informez votre employeur "
            "seulement si vous voulez bénéficier des mesures.",
            "sources": (
                (
                    "Reconnaissance de la qualité de travailleur handicapé (RQTH)",
                    SERVICE_PUBLIC,
                    datetime.date(2024, 1, 1),
                ),
                ("La RQTH, pour qui, pour quoi ?", AGEFIPH, datetime.date(2023, 6, 1)),
            ),
        },
        {
            "title": "Aménager son poste de travail",
            "days_ago": 12,
            "themes": ("Handicap et travail",),
            "tags": ("travail", "médecine du travail"),
            "summary": "Horaires, télétravail, matériel, limitation des efforts : le médecin "
            "du travail propose, l'employeur adapte, l'Agefiph peut financer.",
            "body": "### La visite de pré-reprise\n\nPendant l'arrêt, demandez une visite au "
            "médecin du travail : il prépare le retour et peut recommander des "
            "aménagements.\n\n### Exemples\n\n- limitation du port de charges ;\n- "
            "horaires aménagés, télétravail partiel ;\n- temps partiel "
            "thérapeutique ;\n- siège ou poste adapté.\n\n### Le financement\n\nAvec "
            "une RQTH, l'Agefiph finance une partie des aménagements et des études "
            "ergonomiques.",
            "sources": (
                (
                    "Aménagement du poste de travail d'un salarié handicapé",
                    SERVICE_PUBLIC,
                    datetime.date(2024, 1, 1),
                ),
                ("Aménager un poste de travail", AGEFIPH, datetime.date(2023, 6, 1)),
            ),
        },
    ),  # fmt: skip
}

# The network's events (tenant_apps/events/seeds.py): ``days`` from today, ``time`` in the
# network's time zone; past webinars with their questions and replay, what is coming with
# its registrations.
VISIO = "https://visio.stent-care.demo.invalid"
REPLAY = "https://replay.stent-care.demo.invalid"
CONTENT["events"] = (
    {
        "title": "Reprendre le sport après un stent",
        "format": "webinar",
        "days": -24,
        "time": (18, 30),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/sport-apres-stent",
        "description": "Quand reprendre, quel sport, à quelle intensité, faut-il un test "
        "d'effort ? Un cardiologue et une kinésithérapeute de réadaptation cardiaque "
        "répondent à vos questions écrites, en direct.",
        "speakers": (
            ("Dr Olivier Lambert", "cardiologue, réadaptation cardiaque"),
            ("Émilie Caron", "kinésithérapeute"),
        ),
        "registrants": ("membre", "patrick", "fatou", "michel", "elodie", "bernard", "thierry",
                        "modo"),  # fmt: skip
        "questions": (
            {"by": "patrick", "text": "Je faisais du vélo 100 km par semaine avant mon "
             "infarctus. Quand puis-je reprendre ?", "votes": ("michel", "thierry", "membre"),
             "answered_after": 8},
            {"by": "elodie", "text": "La réadaptation cardiaque est-elle obligatoire ? Je n'ai "
             "pas de place avant trois mois.", "votes": ("fatou", "bernard"),
             "answered_after": 21},
            {"by": "bernard", "anonymous": True, "text": "Sous anticoagulants, le tennis est-il "
             "risqué à cause des chutes ?", "votes": ("patrick",), "answered_after": 37},
            {"by": "fatou", "text": "Comment savoir que je force trop, sans montre cardio ?",
             "votes": ("elodie", "membre", "michel"), "answered_after": 46},
        ),
        "replay": {
            "url": f"{REPLAY}/sport-apres-stent",
            "chapters": (
                (0, "Le cœur après une angioplastie", ()),
                (600, "Quand et comment reprendre", (0,)),
                (1320, "La réadaptation cardiaque", (1,)),
                (2220, "Traitements et sports à éviter", (2,)),
                (2760, "Écouter son corps : les signes d'alerte", (3,)),
            ),
        },
    },
    {
        "title": "Insuffisance cardiaque : moins de sel sans se priver",
        "format": "webinar",
        "days": 11,
        "time": (18, 0),
        "minutes": 60,
        "online": True,
        "join_url": f"{VISIO}/moins-de-sel",
        "description": "Lire les étiquettes, cuisiner avec des épices, manger au restaurant : "
        "une diététicienne répond à vos questions.",
        "speakers": (("Laure Mercier", "diététicienne, service de cardiologie"),),
        "registrants": ("membre", "michel", "bernard", "chantal", "proche", "thierry"),
        "questions": (
            {"by": "chantal", "text": "Mon mari trouve tout fade. Quelles épices conseillez-"
             "vous ?", "votes": ("proche", "bernard", "membre")},
            {"by": "michel", "text": "Le sel de régime au potassium est-il autorisé avec mes "
             "médicaments ?", "votes": ("thierry",)},
        ),
    },
    {
        "title": "Marche nordique douce sur les bords de Loire",
        "format": "in_person",
        "days": 13,
        "time": (9, 30),
        "minutes": 120,
        "place": "Île de Versailles, quai de Versailles, 44000 Nantes",
        "accessibility": "Terrain plat, 4 km aller-retour, bâtons prêtés. Une pause toutes les "
        "vingt minutes.",
        "description": "Une sortie de marche nordique adaptée, encadrée par une éducatrice en "
        "activité physique adaptée. Apportez votre carte de porteur de stent.",
        "speakers": (("Sandrine Le Goff", "enseignante en activité physique adaptée"),),
        "capacity": 8,
        "registrants": ("membre", "patrick", "fatou", "michel", "elodie", "thierry", "modo"),
    },
)  # fmt: skip

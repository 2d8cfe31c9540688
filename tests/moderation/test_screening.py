"""Post screening: identifying data in real French sentences, crisis terms, watched words."""

import pytest

from tenant_apps.members.models import Role
from tenant_apps.moderation.models import CrisisTerm, ModerationSettings, WatchedWord
from tenant_apps.moderation.screening import identifying_data, post_screen
from tests.members.factories import account

# --- Identifying data ------------------------------------------------------------------------

FOUND = [
    # Emails
    ("Écrivez-moi à marie.dupont@gmail.com si vous voulez en parler.", "email"),
    ("Mon adresse : jean-luc+forum@orange.fr, je réponds le soir.", "email"),
    # French phone numbers in the usual writings
    ("Appelez-moi au 06 12 34 56 78 après 18 h.", "phone"),
    ("Mon portable : 0612345678.", "phone"),
    ("Le numéro du service est le 01.45.67.89.10.", "phone"),
    ("Tél. 04-78-12-34-56, demandez Sophie.", "phone"),
    ("Depuis l'étranger : +33 6 12 34 56 78.", "phone"),
    ("Ou bien +33612345678 sur WhatsApp.", "phone"),
    ("Ma belle-sœur au 0033 6 12 34 56 78 peut vous aider.", "phone"),
    ("Le cabinet : 09 87 65 43 21.", "phone"),
    # Social security numbers (NIR), with and without spaces, Corsica included
    ("Mon numéro de sécu est 1 84 12 75 108 234 56, c'est normal qu'on me le demande ?",
     "social_security_number"),
    ("Numéro de sécurité sociale : 284127510823456", "social_security_number"),
    ("La carte Vitale de mon père : 1 52 03 2A 004 123 45", "social_security_number"),
    ("NIR 2 91 06 13 055 012 (sans la clé)", "social_security_number"),
    # Street addresses and postcode + town
    ("J'habite au 12 rue des Lilas, venez prendre un café.", "postal_address"),
    ("Le groupe se retrouve 3 bis avenue Jean Jaurès le jeudi.", "postal_address"),
    ("Notre adresse : 145, boulevard Haussmann.", "postal_address"),
    ("C'est au 7 allée des Tilleuls.", "postal_address"),
    ("Nous sommes à 69003 Lyon depuis l'an dernier.", "postal_address"),
    ("Envoyez le courrier à 13008 Marseille.", "postal_address"),
    ("Je vis à 33000 Bordeaux.", "postal_address"),
    ("Le rendez-vous est 4 place de la Comédie à midi.", "postal_address"),
    ("Au 18 chemin des Vignes, la maison bleue.", "postal_address"),
]  # fmt: skip

NOT_FOUND = [
    "J'ai commencé la chimio le 12/03/2024 et je finis le 15.06.2024.",
    "Rendez-vous le 3 mars 2025 à 14 h 30.",
    "Le traitement coûte 1 250 € par mois, remboursé à 100 %.",
    "Le patch coûte 12,50 € et la boîte 45 €.",
    "On m'a prescrit 5 mg de prednisone, puis 20 mg, et 500 mg de paracétamol.",
    "Ma tension était à 12/8 et ma saturation à 98 %.",
    "Diagnostiquée en 2019, rémission depuis 2021.",
    "J'ai fait 3 cures de 21 jours, 6 séances en tout.",
    "Mes plaquettes sont à 150 000 par mm3.",
    "Le 3114 est le numéro national de prévention du suicide.",
    "Il a 45 ans et mesure 1,80 m.",
    "Mon dossier porte le numéro 2024-00123.",
    "J'habite rue de la Paix depuis des années.",
    "Je prends 2 comprimés le matin et 1 le soir.",
    "Nous étions 12 personnes au groupe de parole.",
    "Mon oncologue m'a dit que 80 % des patients répondent bien.",
    "J'ai marché 12000 pas aujourd'hui, une victoire !",
    "Un prêt de 15000 euros pour les soins dentaires.",
    "75000 personnes sont touchées chaque année en France.",
    "Je fais 1 cours de yoga adapté par semaine.",
    "Il reste 2 places libres pour la marche du 12 mai.",
    "On a fait 10 km route de la plage, quel bonheur.",
    "Merci @Mona pour ton message, et bravo à @Bob.",
]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_identifying_data_is_found_in_french_sentences(text, kind):
    assert kind in identifying_data(text)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_ordinary_numbers_are_not_identifying_data(text):
    assert identifying_data(text) == []


# --- Crisis terms, watched words, pre-moderation ---------------------------------------------


@pytest.fixture
def author(tenant):
    ModerationSettings.objects.update(premoderated_posts=0)
    return account("Dede").member


@pytest.mark.parametrize(
    "text",
    [
        "Parfois j'ai envie de mourir.",
        "J'AI ENVIE DE MOURIR",
        "Je pense au SUICIDE tous les jours.",
        "je pense au suicide",
        "J'ai peur de disparaitre pour toujours",  # accent left out
        "Je veux en finir.",
        "Certains soirs j'aimerais ne plus me reveiller.",
        "J'ai envie de me\n  suicider.",  # a line break between the words
        "J'ai écrit une lettre d’adieu hier soir.",  # typographic apostrophe
    ],
)
def test_crisis_terms_match_whatever_the_accents_and_case(author, text):
    assert post_screen(author=author, text=text, published_posts=5).crisis


@pytest.mark.parametrize(
    "text",
    [
        "La fatigue est terrible mais je tiens bon.",
        "Le 3114 est le numéro national de prévention du suicidologue.",
        "Je veux finir mon traitement avant l'été.",
        "Mon chat s'appelle Overdoser.",
    ],
)
def test_ordinary_posts_are_not_crises(author, text):
    assert not post_screen(author=author, text=text, published_posts=5).crisis


def test_the_network_edits_its_crisis_terms(author):
    text = "Je n'ai plus goût à rien."
    assert not post_screen(author=author, text=text, published_posts=5).crisis
    CrisisTerm.objects.create(phrase="plus goût à rien")
    assert post_screen(author=author, text=text, published_posts=5).crisis


def test_watched_words_are_whole_words_without_case_or_accents(author):
    WatchedWord.objects.create(phrase="api", action=WatchedWord.Action.BLOCK)
    WatchedWord.objects.create(phrase="homéopathie", action=WatchedWord.Action.FLAG)
    WatchedWord.objects.create(phrase="cure miracle", action=WatchedWord.Action.HOLD)
    screening = post_screen(
        author=author, text="Un tapis, une rapière et une Homeopathie douce.", published_posts=5
    )
    assert screening.blocked_by == [] and screening.flagged_by == ["homéopathie"]
    assert not screening.held
    screening = post_screen(author=author, text="L'API, une CURE MIRACLE ?", published_posts=5)
    assert screening.blocked and screening.held_by == ["cure miracle"] and screening.held
    assert not post_screen(author=author, text="une cure, un miracle", published_posts=5).held


def test_new_members_are_premoderated_but_not_the_team(author, tenant):
    ModerationSettings.objects.update(premoderated_posts=2)
    assert post_screen(author=author, text="Bonjour", published_posts=0).premoderated
    assert post_screen(author=author, text="Bonjour", published_posts=1).held
    assert not post_screen(author=author, text="Bonjour", published_posts=2).held
    moderator = account("Mona", Role.MODERATOR).member
    assert not post_screen(author=moderator, text="Bonjour", published_posts=0).held
    ModerationSettings.objects.update(premoderated_posts=0)
    assert not post_screen(author=author, text="Bonjour", published_posts=0).held

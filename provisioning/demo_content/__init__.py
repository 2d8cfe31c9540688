"""The demo networks' content, one module per network, in French as members would write it.

Each module's ``CONTENT`` says which default spaces the network keeps, its pathologies, its
members (role accounts completed, others created), its forums, groups and topics, its
knowledge base's themes and articles, and its moderation queue. Articles cite public
references by title and publisher, at the publisher's home address.
"""

# (publisher, address) of the references the articles cite.
HAS = ("Haute Autorité de santé (HAS)", "https://www.has-sante.fr/")
INCA = ("Institut national du cancer (INCa)", "https://www.e-cancer.fr/")
AMELI = ("Assurance Maladie (ameli.fr)", "https://www.ameli.fr/")
SERVICE_PUBLIC = ("Service-Public.fr", "https://www.service-public.fr/")
FFC = ("Fédération française de cardiologie", "https://www.fedecardio.org/")
LIGUE = ("Ligue contre le cancer", "https://www.ligue-cancer.net/")
MON_PARCOURS_HANDICAP = ("Mon Parcours Handicap", "https://www.monparcourshandicap.gouv.fr/")
AGEFIPH = ("Agefiph", "https://www.agefiph.fr/")
POUR_LES_AIDANTS = (
    "Portail national d'information pour l'autonomie des personnes âgées et l'accompagnement "
    "de leurs proches",
    "https://www.pour-les-personnes-agees.gouv.fr/",
)
CAF = ("Caisse d'allocations familiales (caf.fr)", "https://www.caf.fr/")
ANSM = ("Agence nationale de sécurité du médicament (ANSM)", "https://ansm.sante.fr/")
MANGER_BOUGER = ("Manger Bouger (Santé publique France)", "https://www.mangerbouger.fr/")
SANTE_GOUV = ("Ministère chargé de la santé", "https://sante.gouv.fr/")

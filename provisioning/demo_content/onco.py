"""Réseau onco Poitou (invented): the regional cancer network of Nouvelle-Aquitaine's
Poitiers site, for patients and for health professionals (audience "both").

Its patients' side (spaces, forums, groups, topics, articles, moderation queue, events) is
the lung-cancer network's (``poumon``): thoracic oncology is the network's largest team,
and writing a second French forum of the same size would repeat it. What this network adds
is its professional side: verified professionals (``PROFESSIONALS``), working groups and
guidelines, a weekly thoracic RCP, a care offer of 200 providers, prevention campaigns,
clinical trials and training (``tenant_apps.pro.<area>.seeds``).
"""

from provisioning.demo_content import poumon
from tenant_apps.members.models import ProfileType
from tenant_apps.pro.models import Profession

CONTENT = {
    **poumon.CONTENT,
    "pathologies": (
        *poumon.CONTENT["pathologies"],
        "Cancer du sein",
        "Cancer colorectal",
        "Cancer de la prostate",
    ),  # fmt: skip
    "audience": "both",
}

# The network's professionals, verified by its medical reviewer (an admin with a second
# factor): pseudonym, profession, specialty, workplace, RPPS (made up), real name shown.
PROFESSIONALS = (
    ("Dr_Lemaire", Profession.PULMONOLOGIST, "oncologie thoracique", "CHU de Poitiers",
     "10101010101", "Dr Hélène Lemaire"),
    ("DrMartin86", Profession.MEDICAL_ONCOLOGIST, "", "CHU de Poitiers", "10101010102",
     "Dr Paul Martin"),
    ("Chir_Thorax_Niort", Profession.SURGEON, "chirurgie thoracique",
     "Centre hospitalier de Niort", "10101010103", ""),
    ("RadioPoitiers", Profession.RADIOLOGIST, "", "CHU de Poitiers", "10101010104",
     "Dr Karim Benali"),
    ("Dr_Roux_RT", Profession.RADIATION_ONCOLOGIST, "", "CHU de Poitiers", "10101010105", ""),
    ("AnaPath86", Profession.PATHOLOGIST, "", "CHU de Poitiers", "10101010106", ""),
    ("IDEC_Chatellerault", Profession.COORDINATING_NURSE, "parcours thoracique",
     "Centre hospitalier de Châtellerault", "10101010107", "Sophie Garnier"),
    ("MG_Loudun", Profession.GENERAL_PRACTITIONER, "", "Maison de santé de Loudun",
     "10101010108", ""),
    ("Pharma_Onco", Profession.PHARMACIST, "pharmacie clinique oncologique",
     "CHU de Poitiers", "10101010109", ""),
    ("APA_Vienne", Profession.ADAPTED_ACTIVITY, "", "Comité de la Ligue de la Vienne",
     "", "Julien Moreau"),
)  # fmt: skip
PROFESSIONAL_PROFILE = ProfileType.PROFESSIONAL

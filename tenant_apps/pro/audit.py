"""How the pro app's entries read in the admins' audit log (/association/journal/).

One table for the whole app (found by ``core.hooks``): each area adds its actions here.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Verification of professionals (tenant_apps.pro.verification).
    "pro_verify": _("Professional verified"),
    "pro_refuse": _("Professional verification refused"),
    "pro_withdraw": _("Professional verification withdrawn"),
    # Working groups and guidelines (tenant_apps.pro.guidelines).
    "pro_wg_create": _("Working group created"),
    "pro_wg_name": _("Member named to a working group"),
    "pro_wg_remove": _("Member removed from a working group"),
    "pro_guideline_validate": _("Guideline version validated"),
    "pro_guideline_validity": _("Guideline validity date changed"),
    # Multidisciplinary team meetings (tenant_apps.pro.rcp).
    "pro_rcp_series": _("RCP series created"),
    "pro_rcp_meeting_update": _("RCP meeting moved or changed"),
    "pro_rcp_meeting_cancel": _("RCP meeting cancelled"),
    "pro_rcp_invite": _("Professional invited to an RCP"),
    # The care offer and care pathways (tenant_apps.pro.care).
    "pro_care_provider_create": _("Care provider added"),
    "pro_care_provider_update": _("Care provider changed"),
    "pro_care_import": _("Care offer imported from a CSV file"),
    "pro_care_pathway_save": _("Care pathway written"),
    # Prevention campaigns and clinical trials (tenant_apps.pro.research).
    "pro_campaign_create": _("Campaign created"),
    "pro_campaign_update": _("Campaign changed"),
    "pro_campaign_delete": _("Campaign deleted"),
    "pro_trial_create": _("Clinical trial listed"),
    "pro_trial_update": _("Clinical trial changed"),
}

"""The sign-up form: the organization, its network, the subdomain and the plan."""

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from shared_apps.billing.models import Plan


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return obj.name


class NetworkForm(forms.Form):
    """A new organization's first network (``with_organization``), or one more network of
    an organization (no plan either: it shares the organization's)."""

    organization_name = forms.CharField(
        label=_("Name of your association"),
        max_length=200,
        help_text=_("As it appears in the directory and on your invoices."),
    )
    network_name = forms.CharField(
        label=_("Name of the network"),
        max_length=200,
        help_text=_("What members see at the top of every page, for example “Mon réseau cancer "
                    "du poumon”. You can change it later."),
    )  # fmt: skip
    subdomain = forms.CharField(
        label=_("Address of the network"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "hx-get": reverse_lazy("signup:subdomain_check"),
                "hx-trigger": "input changed delay:400ms, blur",
                "hx-target": "#subdomain-status",
                "hx-swap": "innerHTML",
                "aria-describedby": "id_subdomain_helptext subdomain-status",
            }
        ),
    )
    plan = PlanChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, plans: list[Plan], with_organization: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdomain"].help_text = _(
            "3 to 40 lowercase letters, digits and hyphens, starting with a letter: your network "
            "will answer at "
            "your-address.%(domain)s. You can add your own domain later."
        ) % {"domain": settings.PLATFORM_DOMAIN}
        if not with_organization:
            del self.fields["organization_name"]
        if with_organization and plans:
            self.fields["plan"].queryset = Plan.objects.filter(pk__in=[p.pk for p in plans])
            if len(plans) == 1:
                # The free plan alone (billing off): shown for its limits, nothing to choose.
                self.fields["plan"].initial = plans[0].pk
                self.fields["plan"].required = False
        else:
            del self.fields["plan"]

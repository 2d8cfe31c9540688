"""The association admins' page of the network's domains, under /association/domaines/.

The rules (what a hostname may be, the proof, who serves what) are ``tenants.domains``';
these views parse, find the network's own domain (another network's is a 404), call it and
say what happened.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import posted
from core.throttle import RateLimited, throttle_hit
from tenant_apps.members.permissions import permission_required
from tenant_apps.members.views import add_errors
from tenants import domains as tenant_domains

CONFIGURE = "members.network:configure"


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=gettext_lazy("Domain name"),
        max_length=tenant_domains.MAX_INPUT_LENGTH,
        help_text=gettext_lazy(
            "A domain your association owns, as typed in the address bar: reseau-poumon.fr, "
            "www.mon-association.org."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


@permission_required(CONFIGURE)
def domains(request: HttpRequest) -> HttpResponse:
    form = DomainForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            domain = tenant_domains.domain_add(
                tenant=request.tenant, hostname=form.cleaned_data["domain"], actor=request.member
            )
        except ValidationError as error:
            add_errors(form, error, default_field="domain")
        else:
            messages.success(
                request,
                _("%(host)s is added. Create the DNS records shown for it, then check it.")
                % {"host": tenant_domains.hostname_display(domain.domain)},
            )
            return _back(domain.pk)
    return render(
        request,
        "members/admin/domains.html",
        {
            "form": form,
            "rows": tenant_domains.domains_of(request.tenant),
            "cname_target": _cname_target(),
        },
    )


@permission_required(CONFIGURE)
@require_POST
def domain_verify(request: HttpRequest, pk: int) -> HttpResponse:
    domain = tenant_domains.access_domain(tenant=request.tenant, pk=pk)
    host = tenant_domains.hostname_display(domain.domain)
    was_verified = domain.verified
    try:
        throttle_hit(action="domains.check", member_id=request.member.pk)
        check = tenant_domains.domain_verify(domain=domain, actor=request.member)
    except RateLimited as limited:
        messages.error(
            request,
            _("Too many checks in a short time. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, round(limited.retry_after / 60))},
        )
    except tenant_domains.Lookup:
        messages.error(
            request,
            _("The DNS did not answer. Nothing has changed; try again in a few minutes."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _say_verified(request, host, check, was_verified)
    return _back(domain.pk)


def _say_verified(request, host: str, check, was_verified: bool) -> None:
    if check.proof and check.points_here:
        messages.success(
            request, _("%(host)s is verified and leads to the network.") % {"host": host}
        )
    elif check.proof:
        messages.warning(
            request,
            _(
                "%(host)s is verified. It does not lead to the platform yet: create its CNAME "
                "record (changes can take a few hours to spread)."
            )
            % {"host": host},
        )
    elif was_verified:
        messages.error(
            request,
            _(
                "The TXT record of %(host)s is gone: the domain is no longer verified and no "
                "longer leads to the network. Publish the record again, then check it."
            )
            % {"host": host},
        )
    else:
        messages.warning(
            request,
            _(
                "The TXT record of %(host)s was not found yet. DNS changes can take a few hours "
                "to spread; the platform also checks every hour."
            )
            % {"host": host},
        )


@permission_required(CONFIGURE)
@require_POST
def domain_primary(request: HttpRequest, pk: int) -> HttpResponse:
    domain = tenant_domains.access_domain(tenant=request.tenant, pk=pk)
    try:
        tenant_domains.domain_make_primary(domain=domain, actor=request.member)
    except tenant_domains.Lookup:
        messages.error(
            request,
            _("The DNS did not answer. Nothing has changed; try again in a few minutes."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(host)s is now the network's main address: links and emails use it.")
            % {"host": tenant_domains.hostname_display(domain.domain)},
        )
    return _back(domain.pk)


@permission_required(CONFIGURE)
@require_POST
def domain_remove(request: HttpRequest, pk: int) -> HttpResponse:
    domain = tenant_domains.access_domain(tenant=request.tenant, pk=pk)
    try:
        tenant_domains.domain_remove(domain=domain, actor=request.member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(domain.pk)
    messages.success(
        request,
        _("%(host)s is removed: it no longer leads to the network.")
        % {"host": tenant_domains.hostname_display(domain.domain)},
    )
    return redirect("members_admin:domains")


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("members_admin:domains") + f"#domain-{pk}")


def _cname_target() -> str:
    return settings.CUSTOM_DOMAIN_CNAME_TARGET.rstrip(".")

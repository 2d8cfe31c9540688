"""The "API access" page of "My account": a member's personal access tokens, made, listed
and revoked.

Every answer is a whole page without JavaScript; with htmx the section alone is swapped in
place (``#api-tokens``). A new token's secret is shown in the answer to the request that
made it, never stored nor put in the session, and that answer is not cached.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.throttle import RateLimited, throttle_hit
from tenant_apps.members import tokens
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import member_required, second_factor_missing
from tenant_apps.members.views import add_errors


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the app or device"),
        max_length=80,
        help_text=gettext_lazy("To recognise it in the list, for example “Phone app”."),
    )
    confirmation = forms.CharField(label=gettext_lazy("Your password"), max_length=128)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["confirmation"]
        if tokens.confirmation_kind(member) == "totp":
            field.label = gettext_lazy("Code from your authenticator app")
            field.help_text = gettext_lazy("The six digits your app shows now.")
            field.widget = forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
            )
        else:
            field.help_text = gettext_lazy("To confirm that it is you.")
            field.widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


def _page(
    request: HttpRequest, form: ApiTokenForm, new_token=None, revoked=None, status: int = 200
):
    member = request.member
    context = {
        "member": member,
        "form": form,
        "new_token": new_token,
        "revoked": revoked,
        "tokens": tokens.api_tokens_of(member),
        "second_factor_missing": second_factor_missing(member),
        "max_tokens": tokens.MAX_ACTIVE_TOKENS,
    }
    template = "members/_api_tokens.html" if request.htmx else "members/api_tokens.html"
    return render(request, template, context, status=status)


@never_cache
@member_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    return _page(request, ApiTokenForm(member=request.member))


@never_cache
@require_POST
@member_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST, member=request.member)
    if form.is_valid():
        try:
            # Each attempt counts: the form checks a password or a code, guessed otherwise.
            throttle_hit(action="members.api_token", member_id=request.member.pk)
        except RateLimited as limited:
            form.add_error(
                None,
                ngettext(
                    "Too many attempts: wait %(seconds)d second before trying again.",
                    "Too many attempts: wait %(seconds)d seconds before trying again.",
                    limited.retry_after,
                )
                % {"seconds": limited.retry_after},
            )
            return _page(request, form, status=429)
        try:
            made = tokens.api_token_create(
                member=request.member,
                name=form.cleaned_data["name"],
                confirmation=form.cleaned_data["confirmation"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _page(request, ApiTokenForm(member=request.member), new_token=made)
    return _page(request, form, status=400)


@require_POST
@member_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = tokens.access_api_token(request.member, pk)
    tokens.api_token_revoke(token=token)
    if request.htmx:  # the section says it itself: a message would wait for the next page
        return _page(request, ApiTokenForm(member=request.member), revoked=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")

"""Stripe's webhook, on the platform's domain, and a network admin's subscription page.

The webhook checks the signature on the raw body (bad or stale: 400) and hands the event
to ``services.stripe_event_handle``, which applies it once. The page reads the plan and the
usage; its two buttons send the admin to Stripe (Checkout to choose a paid plan, the
Customer Portal to manage the payment).
"""

import logging

import stripe
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from shared_apps.billing import selectors, services
from shared_apps.billing.access import network_admin_required
from shared_apps.billing.stripe_client import billing_enabled, webhook_event
from tenants.links import network_url

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events: anyone may post, only a valid, recent signature has an effect."""
    try:
        event = webhook_event(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except (stripe.SignatureVerificationError, ValueError):
        return JsonResponse({"detail": "invalid signature"}, status=400)
    except (AttributeError, TypeError):  # signed, but not an object (a list, a number)
        return JsonResponse({"detail": "not an event"}, status=400)
    try:
        event_id, kind, data = event["id"], event["type"], event["data"]
    except (KeyError, TypeError):
        return JsonResponse({"detail": "not an event"}, status=400)
    if not (isinstance(event_id, str) and isinstance(kind, str) and 0 < len(event_id) <= 100):
        return JsonResponse({"detail": "not an event"}, status=400)
    if not isinstance(_object_of(data), dict | stripe.StripeObject):
        return JsonResponse({"detail": "not an event"}, status=400)
    try:
        applied = services.stripe_event_handle(event=event)
    except stripe.StripeError:
        # Nothing was stored: Stripe delivers the event again later.
        logger.warning("Stripe event %s not applied: Stripe did not answer", event_id)
        return JsonResponse({"detail": "retry later"}, status=503)
    except RuntimeError:
        # A webhook secret without an API key: nothing can be re-fetched, nothing is
        # stored, Stripe delivers the event again once billing is configured.
        logger.warning("Stripe event %s not applied: STRIPE_SECRET_KEY is not set", event_id)
        return JsonResponse({"detail": "billing is off"}, status=503)
    return JsonResponse({"received": True, "applied": applied})


def _object_of(data):
    """An event's ``data.object``, or None (StripeObject has no ``get``)."""
    try:
        return data["object"]
    except (KeyError, TypeError, IndexError):
        return None


@require_GET
@network_admin_required
def subscription(request: HttpRequest) -> HttpResponse:
    """The network admin's view of the organization's plan, usage and payment."""
    context = selectors.subscription_overview(tenant=request.tenant)
    return render(request, "billing/subscription.html", context)


def _back(request: HttpRequest) -> str:
    return network_url(reverse("billing_admin:subscription"), tenant=request.tenant)


@require_POST
@network_admin_required
def checkout(request: HttpRequest) -> HttpResponse:
    """Send the admin to Stripe Checkout for the paid plan chosen."""
    plan = selectors.offered_plan(code=request.POST.get("plan", ""))
    if plan is None or not billing_enabled():
        messages.error(request, _("This plan cannot be chosen."))
        return redirect("billing_admin:subscription")
    try:
        url = services.checkout_session_create(
            organization=request.tenant.organization,
            plan=plan,
            success_url=_back(request) + "?paiement=ok",
            cancel_url=_back(request),
        )
    except (services.BillingError, stripe.StripeError) as error:
        message = str(error) if isinstance(error, services.BillingError) else None
        messages.error(request, message or _("Payment is unavailable for now; try again later."))
        return redirect("billing_admin:subscription")
    return redirect(url)


@require_POST
@network_admin_required
def portal(request: HttpRequest) -> HttpResponse:
    """Send the admin to the Stripe Customer Portal (card, invoices, cancellation)."""
    try:
        url = services.portal_session_create(
            organization=request.tenant.organization, return_url=_back(request)
        )
    except (services.BillingError, stripe.StripeError) as error:
        message = str(error) if isinstance(error, services.BillingError) else None
        messages.error(request, message or _("Payment is unavailable for now; try again later."))
        return redirect("billing_admin:subscription")
    return redirect(url)

"""Pages of private messages: the inbox, a conversation, writing to a member, hiding a
conversation and blocking its other member. Who may read and write: ``access``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import posted
from core.throttle import RateLimited
from tenant_apps.members.permissions import member_required
from tenant_apps.members.views import add_errors
from tenant_apps.messaging import access, selectors, services
from tenant_apps.messaging.forms import FirstContactForm, MessageForm
from tenant_apps.messaging.models import Message, Participation
from tenant_apps.moderation.cases import crisis_resources_list
from tenant_apps.social import relations
from tenant_apps.social.models import SocialSettings

CRISIS_FLAG = "messaging_crisis"


def _send(request: HttpRequest, form: MessageForm, recipient) -> tuple[Message | None, int]:
    """Send the form's message; on a refusal, the errors go on the form."""
    data = form.cleaned_data
    try:
        message = services.message_send(
            author=request.member,
            recipient=recipient,
            body=data["body"],
            confirmed_identifying=data.get("confirm_identifying", False),
        )
    except ValidationError as error:
        if "identifying" in _codes(error):
            form.ask_identifying()
        add_errors(form, error, default_field="body")
        return None, 200
    except RateLimited as refusal:
        form.add_error(None, refusal.detail)
        return None, 429
    if message.screening.crisis:  # type: ignore[attr-defined]
        request.session[CRISIS_FLAG] = True
    messages.success(request, _("Your message is sent."))
    return message, 200


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = selectors.inbox_page(request.member, after=request.GET.get("apres"))
    return render(
        request,
        "messaging/inbox.html",
        {"page": page, "first_page": not request.GET.get("apres")},
    )


def _before(request: HttpRequest) -> int | None:
    value = request.GET.get("avant", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


@member_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    member = request.member
    side = access.participation_or_404(member, conversation_id)
    other = side.other
    form = MessageForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        sent, status = _send(request, form, other)
        if sent is not None:
            return redirect("messaging:conversation", conversation_id)
    before = _before(request)
    page = selectors.thread_page(side, before=before)
    if before is None:
        services.conversation_read(participation=side)
    context = {
        "side": side,
        "other": other,
        "page": page,
        "form": form,
        "can_write": access.can_write(member, other, conversation=side.conversation),
        # Asked only when there is a block either way (blocked_ids is kept on the member).
        "i_blocked": relations.is_blocked(member, other) and relations.has_blocked(member, other),
        "crisis_resources": (
            crisis_resources_list() if request.session.pop(CRISIS_FLAG, False) else None
        ),
    }
    return render(request, "messaging/conversation.html", context, status=status)


@member_required
def new(request: HttpRequest, who: str) -> HttpResponse:
    """Write to a member, from their profile (by pseudonym or id)."""
    member = request.member
    recipient = access.recipient_or_404(member, who)
    existing = access.conversation_between(member, recipient)
    if existing is not None and request.method == "GET":
        return redirect("messaging:conversation", existing.pk)
    form = MessageForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        sent, status = _send(request, form, recipient)
        if sent is not None:
            return redirect("messaging:conversation", sent.conversation_id)
    context = {
        "recipient": recipient,
        "form": form,
        "can_write": access.can_write(member, recipient, conversation=existing),
    }
    return render(request, "messaging/new.html", context, status=status)


def _side(request: HttpRequest, conversation_id: int) -> Participation:
    return access.participation_or_404(request.member, conversation_id)


@require_POST
@member_required
def hide(request: HttpRequest, conversation_id: int) -> HttpResponse:
    services.conversation_hide(participation=_side(request, conversation_id))
    messages.success(request, _("The conversation is hidden until a new message."))
    return redirect("messaging:inbox")


@require_POST
@member_required
def block(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Block the conversation's other member (social's block: both ways, never told)."""
    side = _side(request, conversation_id)
    try:
        relations.block_create(blocker=request.member, blocked=side.other)
    except ValidationError as error:  # erased or suspended since: nothing to block
        raise Http404 from error
    messages.success(
        request, _("You blocked this member: neither of you can write to the other now.")
    )
    return redirect("messaging:conversation", conversation_id)


@member_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Who may write to me first."""
    member = request.member
    current = (
        SocialSettings.objects.filter(member=member).values_list("first_contact", flat=True).first()
        or SocialSettings.FirstContact.NOBODY
    )
    form = FirstContactForm(posted(request), initial={"first_contact": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.first_contact_set(member=member, choice=form.cleaned_data["first_contact"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("messaging:preferences")
    return render(request, "messaging/preferences.html", {"form": form})

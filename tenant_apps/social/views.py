"""Experience pages (/experiences/…): the network's list, one experience with its comments,
writing, editing and deleting one's own, reactions. Members only; anything out of reach is
the same 404 as a missing page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.static import serve

from core.http import posted
from core.throttle import RateLimited, throttle_hit
from tenant_apps.members.permissions import has_permission, member_required
from tenant_apps.members.views import add_errors
from tenant_apps.moderation.cases import crisis_resources_list
from tenant_apps.social import selectors, services
from tenant_apps.social.forms import CommentForm, ExperienceForm, ReactionForm
from tenant_apps.social.models import Experience
from tenant_apps.social.views_relations import noindex

CRISIS_FLAG = "social_crisis"
# Experiences and comments count against the forums' posting rate: one pace for writing.
THROTTLE = "forums.post"


def _writing_error(form, error: ValidationError) -> None:
    """A service's refusal onto the form; identifying data brings up the confirmation."""
    if getattr(error, "code", None) == "identifying":
        form.ask_identifying()
    add_errors(form, error, default_field=None)


def _after_writing(request: HttpRequest, written) -> None:
    if written.screening.held:
        messages.info(request, _("Your message is awaiting approval by a moderator."))
    else:
        messages.success(request, _("Your message is published."))
    if written.screening.crisis:
        request.session[CRISIS_FLAG] = True


def _crisis(request: HttpRequest):
    return crisis_resources_list() if request.session.pop(CRISIS_FLAG, False) else None


@noindex
@member_required
def experience_list(request: HttpRequest) -> HttpResponse:
    after = selectors.Cursor.parse(request.GET.get("apres"))
    page, following = selectors.experiences_page(request.member, after=after)
    return render(
        request,
        "social/experience_list.html",
        {
            "experiences": page,
            "next_cursor": following,
            "first_page": after is None,
            "crisis_resources": _crisis(request),
        },
    )


@noindex
@member_required
def experience_detail(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors.experience_for(request.member, pk)
    return render(
        request,
        "social/experience_detail.html",
        {
            "experience": experience,
            "member": request.member,
            "comments": selectors.comments_of(request.member, experience),
            "comment_form": CommentForm(),
            "crisis_resources": _crisis(request),
            "can_report": has_permission(request.member, "forums.post:report"),
        },
    )


def _experience_form(request: HttpRequest, found: Experience | None) -> HttpResponse:
    member = request.member
    initial = None
    if found is not None:
        initial = {
            "body": found.body,
            "audience": found.audience,
            "warnings": list(found.warnings.all()),
            "image_alt": found.image_alt,
        }
    form = ExperienceForm(
        posted(request),
        request.FILES or None,
        initial=initial,
        editing=found is not None,
        has_image=bool(found and found.image),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            throttle_hit(action=THROTTLE, member_id=member.pk)
            if found is None:
                written = services.experience_create(
                    author=member,
                    body=data["body"],
                    audience=data["audience"],
                    warnings=data["warnings"],
                    image=data.get("image"),
                    image_alt=data.get("image_alt", ""),
                    confirmed_identifying=data.get("confirm_identifying", False),
                )
            else:
                written = services.experience_edit(
                    experience=found,
                    editor=member,
                    body=data["body"],
                    audience=data["audience"],
                    warnings=data["warnings"],
                    image=data.get("image"),
                    image_alt=data.get("image_alt", ""),
                    remove_image=data.get("remove_image", False),
                    confirmed_identifying=data.get("confirm_identifying", False),
                )
        except ValidationError as error:
            _writing_error(form, error)
        except RateLimited as refusal:
            form.add_error(None, refusal.detail)
            status = 429
        else:
            _after_writing(request, written)
            return redirect("social:experience", written.pk)
    return render(
        request,
        "social/experience_form.html",
        {"form": form, "experience": found},
        status=status,
    )


@noindex
@member_required
def experience_new(request: HttpRequest) -> HttpResponse:
    return _experience_form(request, None)


@noindex
@member_required
def experience_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _experience_form(request, selectors.experience_own(request.member, pk))


@noindex
@member_required
def experience_delete(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors.experience_own(request.member, pk)
    if request.method == "POST":
        services.experience_delete(experience=experience, actor=request.member)
        messages.success(request, _("Your experience is deleted."))
        return redirect("social:experiences")
    return render(request, "social/experience_delete.html", {"experience": experience})


@noindex
@member_required
def experience_image(request: HttpRequest, pk: int) -> HttpResponse:
    """An experience's image, for those who may read the experience (404 otherwise)."""
    experience = selectors.experience_for(request.member, pk)
    if not experience.image:
        raise Http404
    response = serve(
        request, experience.image.name, document_root=experience.image.storage.location
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@noindex
@member_required
@require_POST
def experience_react(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors.experience_for(request.member, pk)
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            services.reaction_set(
                member=request.member,
                experience=experience,
                kind=form.cleaned_data["chosen"],
                pressed=form.cleaned_data["pressed"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Choose one of the offered reactions."))
    if request.htmx:
        experience = selectors.experience_for(request.member, pk)
        return render(request, "social/_experience_reactions.html", {"experience": experience})
    return redirect("social:experience", pk)


@noindex
@member_required
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors.experience_for(request.member, pk)
    form = CommentForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            throttle_hit(action=THROTTLE, member_id=request.member.pk)
            comment = services.comment_create(
                author=request.member,
                experience=experience,
                body=form.cleaned_data["body"],
                confirmed_identifying=form.cleaned_data.get("confirm_identifying", False),
            )
        except ValidationError as error:
            _writing_error(form, error)
        except RateLimited as refusal:
            form.add_error(None, refusal.detail)
            status = 429
        else:
            _after_writing(request, comment)
            return redirect(services.comment_url(comment))
    return render(
        request,
        "social/comment_form.html",
        {"form": form, "experience": experience, "comment": None},
        status=status,
    )


@noindex
@member_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_own(request.member, pk)
    form = CommentForm(posted(request), initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_edit(
                comment=comment,
                editor=request.member,
                body=form.cleaned_data["body"],
                confirmed_identifying=form.cleaned_data.get("confirm_identifying", False),
            )
        except ValidationError as error:
            _writing_error(form, error)
        else:
            _after_writing(request, comment)
            return redirect(services.comment_url(comment))
    return render(
        request,
        "social/comment_form.html",
        {"form": form, "experience": comment.experience, "comment": comment},
    )


@noindex
@member_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_own(request.member, pk)
    if request.method == "POST":
        services.comment_delete(comment=comment, actor=request.member)
        messages.success(request, _("Your comment is deleted."))
        return redirect("social:experience", comment.experience_id)
    return render(request, "social/comment_delete.html", {"comment": comment})

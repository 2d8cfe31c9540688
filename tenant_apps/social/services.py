"""Writes of the social layer's experiences: publishing, editing and deleting them, their
comments and reactions, and what moderators' decisions change (called by
moderation.services, which closes the cases and tells the author).

Experiences and comments are screened like forum posts (moderation.screening): words the
network blocks are refused, identifying data must be confirmed, signs of a crisis open an
urgent case and show the author the help lines (``.screening`` on the returned object), and
a new member's first messages or held words wait for a moderator.
"""

import dataclasses
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.images import image_reencode
from core.markup import render_markdown
from shared_apps.billing import limits as plan_limits
from tenant_apps.forums.models import ContentWarning, Post, Reaction
from tenant_apps.forums.services import IDENTIFYING_LABELS
from tenant_apps.members.models import Member
from tenant_apps.members.selectors import spaces_for
from tenant_apps.moderation import cases
from tenant_apps.moderation.screening import Screening, post_screen
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notification_create
from tenant_apps.social import access
from tenant_apps.social.models import Experience, ExperienceComment, ExperienceReaction

BODY_MAX = 5000
COMMENT_MAX = 2000
IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_SIZE = 1600
REACTION_KINDS = Reaction.Kind


# --- Links and titles ------------------------------------------------------------------------


def experience_url(experience: Experience) -> str:
    """Where an experience is read (behind sign-in, like every page of a network)."""
    return reverse("social:experience", args=[experience.pk])


def comment_url(comment: ExperienceComment) -> str:
    return reverse("social:experience", args=[comment.experience_id]) + f"#comment-{comment.pk}"


def experience_title(experience: Experience) -> str:
    """A short name for an experience in notifications: its author and first words."""
    # Its words as they read, without the Markdown's marks (from the cleaned HTML).
    words = Truncator(" ".join(strip_tags(experience.body_html).split())).chars(60)
    return _("Experience: %(start)s") % {"start": words}


# --- Screening -------------------------------------------------------------------------------


def _published_count(author: Member) -> int:
    """What the author already published anywhere: a member with fewer than the network's
    pre-moderation number waits for a moderator, as on the forums."""
    published = Experience.Status.PUBLISHED
    return (
        Post.objects.filter(author=author, status=Post.Status.PUBLISHED).count()
        + Experience.objects.filter(author=author, status=published).count()
        + ExperienceComment.objects.filter(author=author, status=published).count()
    )


def _screen(*, author: Member, text: str, confirmed_identifying: bool, new: bool) -> Screening:
    """Screen a text before saving; refuse blocked words and unconfirmed identifying data.

    An edit (``new`` False) is never held back: words that would hold it flag it instead.
    """
    published = _published_count(author) if new else 0
    screening = post_screen(author=author, text=text, published_posts=published)
    if screening.blocked:
        raise ValidationError(
            _(
                "This message contains words this network does not accept (%(words)s). "
                "Please rephrase it."
            )
            % {"words": ", ".join(screening.blocked_by)},
            code="blocked",
        )
    if screening.identifying and not confirmed_identifying:
        raise ValidationError(
            _(
                "Your message seems to contain %(found)s. Anyone who may read it will see it: "
                "remove it, or confirm that you want to publish it."
            ),
            code="identifying",
            params={"found": _found(screening)},
        )
    if not new:
        screening = dataclasses.replace(
            screening,
            premoderated=False,
            held_by=[],
            flagged_by=screening.flagged_by + screening.held_by,
        )
    return screening


def _found(screening: Screening) -> str:
    return ", ".join(str(IDENTIFYING_LABELS[kind]) for kind in screening.identifying)


def _check_body(body: str, limit: int, field: str = "body") -> str:
    if not body.strip():
        raise ValidationError({field: _("Write a few words.")})
    if len(body) > limit:
        raise ValidationError(
            {field: _("At most %(limit)s characters.") % {"limit": f"{limit:,}".replace(",", " ")}}
        )
    return body


def _check_audience(audience: str) -> None:
    if audience not in Experience.Audience.values:
        raise ValidationError({"audience": _("Choose who may read it.")})


def _image_set(experience: Experience, image) -> None:
    content = image_reencode(
        image, max_bytes=IMAGE_MAX_BYTES, size=IMAGE_SIZE, keep_transparency=False
    )
    plan_limits.upload_check(adding_bytes=content.size, field="image")
    if experience.image:
        experience.image.delete(save=False)
    experience.image.save(f"{uuid.uuid4().hex}.jpg", content, save=False)


def _warnings(warnings: Iterable[ContentWarning]) -> list[ContentWarning]:
    return sorted(set(warnings), key=lambda w: (w.position, w.name))


# A text sent again this soon by its author is the same one (a double submit, a reload).
TWIN_WINDOW = timedelta(minutes=2)


def _just_written(queryset, author: Member, body: str):
    """What the author wrote with this very text a moment ago, if anything: a double submit
    answers with it instead of publishing twice. The author's row is locked until the write
    commits, so two submits at once are taken one after the other."""
    Member.objects.select_for_update().filter(pk=author.pk).first()
    twin = queryset.filter(body=body, created__gte=timezone.now() - TWIN_WINDOW).last()
    if twin is not None:
        # Screened when first written (cases opened, help lines shown); said again here.
        twin.screening = Screening(premoderated=twin.status == Experience.Status.HELD)
    return twin


# --- Experiences -----------------------------------------------------------------------------


def experience_create(
    *,
    author: Member,
    body: str,
    audience: str = Experience.Audience.NETWORK,
    warnings: Iterable[ContentWarning] = (),
    image=None,
    image_alt: str = "",
    confirmed_identifying: bool = False,
) -> Experience:
    """Publish an experience, screened; held for approval when screening says so.

    The returned experience carries ``screening`` for the page that follows."""
    _check_body(body, BODY_MAX)
    _check_audience(audience)
    if len(image_alt) > 200:
        raise ValidationError({"image_alt": _("At most 200 characters.")})
    screening = _screen(
        author=author, text=body, confirmed_identifying=confirmed_identifying, new=True
    )
    chosen = _warnings(warnings)
    experience = Experience(
        author=author,
        body=body,
        body_html=str(render_markdown(body)),
        audience=audience,
        space_ids=[space.pk for space in spaces_for(author)],
        warning_names=[w.name for w in chosen],
        image_alt=image_alt.strip(),
        status=Experience.Status.HELD if screening.held else Experience.Status.PUBLISHED,
    )
    with transaction.atomic():
        twin = _just_written(Experience.objects.filter(author=author), author, body)
        if twin is not None:
            return twin
        if image is not None:
            _image_set(experience, image)
        experience.save()
        if chosen:
            experience.warnings.set(chosen)
        cases.screened(target=experience, screening=screening)
    experience.screening = screening
    return experience


def experience_edit(
    *,
    experience: Experience,
    editor: Member,
    body: str,
    audience: str,
    warnings: Iterable[ContentWarning] = (),
    image=None,
    image_alt: str | None = None,
    remove_image: bool = False,
    confirmed_identifying: bool = False,
) -> Experience:
    """The author edits their experience, screened again (never held back: flagged)."""
    if experience.author_id != editor.pk:
        raise ValidationError(_("Only its author can edit an experience."), code="not_author")
    _check_body(body, BODY_MAX)
    _check_audience(audience)
    if image_alt is not None and len(image_alt) > 200:
        raise ValidationError({"image_alt": _("At most 200 characters.")})
    screening = _screen(
        author=editor, text=body, confirmed_identifying=confirmed_identifying, new=False
    )
    chosen = _warnings(warnings)
    experience.body = body
    experience.body_html = str(render_markdown(body))
    experience.audience = audience
    experience.space_ids = [space.pk for space in spaces_for(editor)]
    experience.warning_names = [w.name for w in chosen]
    experience.edited = timezone.now()
    if image_alt is not None:
        experience.image_alt = image_alt.strip()
    if remove_image and experience.image:
        experience.image.delete(save=False)
        experience.image = ""
        experience.image_alt = ""
    if image is not None:
        _image_set(experience, image)
    with transaction.atomic():
        experience.save()
        experience.warnings.set(chosen)
        cases.screened(target=experience, screening=screening)
    experience.screening = screening
    return experience


def experience_delete(*, experience: Experience, actor: Member) -> None:
    """The author deletes their experience, with its comments, reactions and cases."""
    if experience.author_id != actor.pk:
        raise ValidationError(_("Only its author can delete an experience."), code="not_author")
    if experience.image:
        experience.image.delete(save=False)
    experience.delete()


def experience_publish(*, experience: Experience, moderator: Member) -> Experience:
    """Publish a held experience or restore a hidden one (moderators' decisions)."""
    Experience.objects.filter(pk=experience.pk).update(
        status=Experience.Status.PUBLISHED, hidden_reason=""
    )
    experience.status, experience.hidden_reason = Experience.Status.PUBLISHED, ""
    return experience


def experience_hide(*, experience: Experience, moderator: Member, reason: str) -> Experience:
    """Hide an experience: its author then reads the reason in its place."""
    reason = reason.strip()[:300]
    Experience.objects.filter(pk=experience.pk).update(
        status=Experience.Status.HIDDEN, hidden_reason=reason
    )
    experience.status, experience.hidden_reason = Experience.Status.HIDDEN, reason
    return experience


# --- Comments --------------------------------------------------------------------------------


def _count_comment(experience_id: int, step: int) -> None:
    Experience.objects.filter(pk=experience_id).update(
        comment_count=Greatest(F("comment_count") + step, 0)
    )


def comment_create(
    *, author: Member, experience: Experience, body: str, confirmed_identifying: bool = False
) -> ExperienceComment:
    """Comment on an experience the author may read, screened like a forum reply; the
    experience's author is told (in the site)."""
    if not access.experience_readable(author, experience):
        raise ValidationError(_("This experience is not available."), code="unreadable")
    if experience.status != Experience.Status.PUBLISHED:
        raise ValidationError(_("Only published experiences take comments."), code="unpublished")
    _check_body(body, COMMENT_MAX)
    screening = _screen(
        author=author, text=body, confirmed_identifying=confirmed_identifying, new=True
    )
    with transaction.atomic():
        twin = _just_written(
            ExperienceComment.objects.filter(author=author, experience=experience), author, body
        )
        if twin is not None:
            return twin
        comment = ExperienceComment.objects.create(
            experience=experience,
            author=author,
            body=body,
            body_html=str(render_markdown(body)),
            status=Experience.Status.HELD if screening.held else Experience.Status.PUBLISHED,
        )
        cases.screened(target=comment, screening=screening)
        if not screening.held:
            _count_comment(experience.pk, 1)
            _tell_author(comment, experience)
    comment.screening = screening
    return comment


def _tell_author(comment: ExperienceComment, experience: Experience) -> None:
    """The experience's author hears of a published comment, unless either blocked the other."""
    recipient = experience.author
    if recipient.user_id is None or access.is_blocked_either_way(comment.author, recipient.pk):
        return
    notification_create(
        recipient=recipient,
        kind=Notification.Kind.REPLY,
        actor=comment.author,
        subject=experience_title(experience),
        url=comment_url(comment),
    )


def comment_edit(
    *, comment: ExperienceComment, editor: Member, body: str, confirmed_identifying: bool = False
) -> ExperienceComment:
    """The author edits their comment, screened again (never held back: flagged)."""
    if comment.author_id != editor.pk:
        raise ValidationError(_("Only its author can edit a comment."), code="not_author")
    _check_body(body, COMMENT_MAX)
    screening = _screen(
        author=editor, text=body, confirmed_identifying=confirmed_identifying, new=False
    )
    comment.body = body
    comment.body_html = str(render_markdown(body))
    comment.edited = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["body", "body_html", "edited"])
        cases.screened(target=comment, screening=screening)
    comment.screening = screening
    return comment


def comment_delete(*, comment: ExperienceComment, actor: Member) -> None:
    """The author deletes their comment."""
    if comment.author_id != actor.pk:
        raise ValidationError(_("Only its author can delete a comment."), code="not_author")
    with transaction.atomic():
        if comment.status == Experience.Status.PUBLISHED:
            _count_comment(comment.experience_id, -1)
        comment.delete()


def comment_publish(*, comment: ExperienceComment, moderator: Member) -> ExperienceComment:
    """Publish a held comment or restore a hidden one (moderators' decisions)."""
    first_time = comment.status == Experience.Status.HELD
    if comment.status != Experience.Status.PUBLISHED:
        _count_comment(comment.experience_id, 1)
    ExperienceComment.objects.filter(pk=comment.pk).update(
        status=Experience.Status.PUBLISHED, hidden_reason=""
    )
    comment.status, comment.hidden_reason = Experience.Status.PUBLISHED, ""
    if first_time:
        experience = Experience.objects.select_related("author").get(pk=comment.experience_id)
        _tell_author(comment, experience)
    return comment


def comment_hide(
    *, comment: ExperienceComment, moderator: Member, reason: str
) -> ExperienceComment:
    """Hide a comment: its author then reads the reason in its place."""
    reason = reason.strip()[:300]
    if comment.status == Experience.Status.PUBLISHED:
        _count_comment(comment.experience_id, -1)
    ExperienceComment.objects.filter(pk=comment.pk).update(
        status=Experience.Status.HIDDEN, hidden_reason=reason
    )
    comment.status, comment.hidden_reason = Experience.Status.HIDDEN, reason
    return comment


# --- Reactions -------------------------------------------------------------------------------


def reaction_set(*, member: Member, experience: Experience, kind: str, pressed: bool) -> bool:
    """Press or release the member's reaction of this kind (the forums' four), whatever it
    was before: a double submit changes nothing the second time. True when pressed."""
    if not access.experience_readable(member, experience):
        raise ValidationError(_("This experience is not available."), code="unreadable")
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": _("Choose one of the offered reactions.")})
    if experience.status != Experience.Status.PUBLISHED:
        raise ValidationError({"kind": _("Only published experiences take reactions.")})
    field = Experience.count_field(kind)
    with transaction.atomic():
        if not pressed:
            deleted, _counts = ExperienceReaction.objects.filter(
                experience=experience, member=member, kind=kind
            ).delete()
            if deleted:
                Experience.objects.filter(pk=experience.pk).update(
                    **{field: Greatest(F(field) - 1, 0)}
                )
            return False
        try:
            with transaction.atomic():
                ExperienceReaction.objects.create(experience=experience, member=member, kind=kind)
        except IntegrityError:
            return True  # already pressed (or a double click raced us): counted once
        Experience.objects.filter(pk=experience.pk).update(**{field: F(field) + 1})
    return True


def reaction_toggle(*, member: Member, experience: Experience, kind: str) -> bool:
    """Add the member's reaction of this kind, or take it back; True when added."""
    pressed = ExperienceReaction.objects.filter(
        experience=experience, member=member, kind=kind
    ).exists()
    return reaction_set(member=member, experience=experience, kind=kind, pressed=not pressed)


def experience_counts_recount(*, experience_ids: Iterable[int]) -> None:
    """Count these experiences' reactions and published comments again, in one statement
    (after rows were deleted in bulk, as when a member's account is erased)."""
    reactions = ExperienceReaction.objects.filter(experience=OuterRef("pk"))
    counts = {
        Experience.count_field(kind): Coalesce(
            Subquery(
                reactions.filter(kind=kind).values("experience").annotate(n=Count("pk")).values("n")
            ),
            0,
        )
        for kind in Reaction.Kind.values
    }
    comments = (
        ExperienceComment.objects.filter(
            experience=OuterRef("pk"), status=Experience.Status.PUBLISHED
        )
        .values("experience")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Experience.objects.filter(pk__in=list(experience_ids)).update(
        **counts, comment_count=Coalesce(Subquery(comments), 0)
    )

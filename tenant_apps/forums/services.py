"""Writes of the forums: topics, posts and their screening, edits, reactions, follows,
reading preferences, and groups."""

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Func, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import defer_on_commit
from core.markup import render_markdown
from core.search import document
from tenant_apps.forums import access, selectors
from tenant_apps.forums.models import (
    Category,
    ContentWarning,
    Group,
    GroupMembership,
    Post,
    PostRevision,
    Reaction,
    ReadingPreference,
    Subscription,
    Topic,
    TopicRead,
)
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission
from tenant_apps.members.selectors import spaces_for
from tenant_apps.members.services import audit
from tenant_apps.moderation import cases
from tenant_apps.moderation.screening import Screening, post_screen
from tenant_apps.notifications import services as notifications
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notification_create

IDENTIFYING_LABELS = {
    "email": gettext_lazy("an email address"),
    "phone": gettext_lazy("a phone number"),
    "social_security_number": gettext_lazy("a social security number"),
    "postal_address": gettext_lazy("a postal address"),
}
# "@pseudo", not inside an email address, a URL or an existing Markdown link.
MENTION = re.compile(r"(?<![\w@/\[])@([\w.+-]*\w)")
MAX_MENTIONS = 20
# Fenced code blocks and inline code spans, where "@" is just a character.
CODE = re.compile(r"(```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`)", re.S)


# --- Rendering -------------------------------------------------------------------------------


def post_url(post: Post) -> str:
    """Where a post is read: its topic, on a page that starts with it."""
    url = reverse("forums:topic", args=[post.topic_id])
    if post.is_opening:
        return url
    return f"{url}?apres={post.pk - 1}#message-{post.pk}"


def _prose(body: str) -> list[tuple[bool, str]]:
    """The body cut into (is_prose, text) parts: code blocks and spans are not prose."""
    parts = CODE.split(body)
    return [(index % 2 == 0, part) for index, part in enumerate(parts)]


def _named(body: str) -> list[Member]:
    """Active members named with @pseudonym in the body's prose, in order, at most
    MAX_MENTIONS of them."""
    found_names = [n for prose, part in _prose(body) if prose for n in MENTION.findall(part)]
    names = list(dict.fromkeys(found_names))[:MAX_MENTIONS]
    if not names:
        return []
    found = {
        member.user.username: member
        for member in Member.objects.select_related("user").filter(
            user__username__in=names, status=Member.Status.ACTIVE
        )
        if member.user is not None
    }
    return [found[name] for name in names if name in found]


def _mentioned(body: str, category: Category) -> list[Member]:
    """Members named with @pseudonym who may read the category, in order."""
    return [member for member in _named(body) if access.category_readable(member, category)]


def _render(body: str, category: Category) -> str:
    """Safe HTML for a post, @mentions of members who can read it turned into profile links."""
    names = {member.user.username for member in _mentioned(body, category) if member.user}

    def link(match: re.Match) -> str:
        name = match.group(1)
        if name not in names:
            return match.group(0)
        text = re.sub(r"([\\`*_\[\]])", r"\\\1", name)
        return f"[@{text}]({reverse('profile', args=[name])})"

    linked = "".join(MENTION.sub(link, part) if prose else part for prose, part in _prose(body))
    return str(render_markdown(linked))


def quote_text(post: Post) -> str:
    """A reply's opening that quotes a post: its author and its text, as a Markdown quote."""
    author = post.author.display_name if post.author is not None else _("Deleted member")
    header = _("**@%(pseudonym)s** wrote:") % {"pseudonym": author}
    lines = [header, *post.body.splitlines()]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


# --- Screening -------------------------------------------------------------------------------


def _screen(*, author: Member, text: str, confirmed_identifying: bool) -> Screening:
    """Screen a text before saving; refuse what is blocked or unconfirmed identifying data."""
    published = Post.objects.filter(author=author, status=Post.Status.PUBLISHED).count()
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
                "Your message seems to contain %(found)s. Anyone in this space will read it: "
                "remove it, or confirm that you want to publish it."
            ),
            code="identifying",
            params={"found": ", ".join(str(IDENTIFYING_LABELS[k]) for k in screening.identifying)},
        )
    return screening


def _after_screening(post: Post, screening: Screening) -> None:
    cases.post_screened(post=post, screening=screening)


def _check_text(*, body: str, title: str | None = None) -> None:
    errors = {}
    if title is not None and not title.strip():
        errors["title"] = _("Give your topic a title.")
    if title is not None and len(title) > 200:
        errors["title"] = _("A title has at most 200 characters.")
    if not body.strip():
        errors["body"] = _("Write a message.")
    elif len(body) > 20000:
        errors["body"] = _("A message has at most 20,000 characters.")
    if errors:
        raise ValidationError(errors)


# PostgreSQL refuses a tsvector over 1 MB: a topic's document takes its opening post and its
# newest replies up to this many characters (a thousand replies of average length), then stops.
TOPIC_DOCUMENT_CHARS = 200_000


@transaction.atomic(savepoint=False)
def topic_reindex(*, topic: Topic) -> None:
    """Rebuild the topic's search document: its title (weight A) and the text of its published
    posts (B), which the network's search matches and ranks.

    In a very long topic, only the opening post and the newest replies up to
    TOPIC_DOCUMENT_CHARS characters are in it: older replies are no longer found.
    """
    # Locked first: a reply committed meanwhile is then read, not overwritten by a document
    # computed without it.
    title = Topic.objects.select_for_update().values_list("title", flat=True).get(pk=topic.pk)
    published = Post.objects.filter(topic_id=topic.pk, status=Post.Status.PUBLISHED)
    opening = published.filter(is_opening=True).values_list("body", flat=True).first() or ""
    newest = published.filter(is_opening=False).order_by("-id").values_list("body", flat=True)
    replies, size = [], len(opening)
    for body in newest.iterator(chunk_size=100):
        size += len(body) + 1
        if size > TOPIC_DOCUMENT_CHARS:
            break
        replies.append(body)
    text = "\n".join([opening, *reversed(replies)])
    Topic.objects.filter(pk=topic.pk).update(
        search_vector=document(A=title, B=text), document_chars=len(text)
    )


def _index(post: Post, topic: Topic, *, new_reply: bool = False) -> None:
    """The post's own vector (it picks a search hit's snippet) and, when the post is part of
    it, its topic's document: a new reply is appended to it, anything else rebuilds it."""
    Post.objects.filter(pk=post.pk).update(search_vector=document(B=post.body))
    if new_reply and post.status == Post.Status.PUBLISHED:
        _document_append(post, topic)
    elif post.is_opening or post.status == Post.Status.PUBLISHED:
        topic_reindex(topic=topic)


def _document_append(post: Post, topic: Topic) -> None:
    """Add a new reply's vector to its topic's document, in one statement (so concurrent
    replies each add theirs), while the document stays under TOPIC_DOCUMENT_CHARS; past it,
    rebuild it from the newest replies. Rebuilding on every reply read and folded the whole
    topic: 20 ms more per reply in a topic of 80 (tests/bench/forums.py)."""
    size = len(post.body) + 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Topic._meta.db_table} t
                   SET search_vector = coalesce(t.search_vector, ''::tsvector) || p.search_vector,
                       document_chars = t.document_chars + %(size)s
                  FROM {Post._meta.db_table} p
                 WHERE t.id = %(topic)s AND p.id = %(post)s
                   AND t.document_chars + %(size)s <= %(cap)s""",  # noqa: S608 - the models' tables
            {"topic": topic.pk, "post": post.pk, "size": size, "cap": TOPIC_DOCUMENT_CHARS},
        )
        appended = cursor.rowcount == 1
    if not appended:
        topic_reindex(topic=topic)


def _subscribe(member: Member, topic: Topic) -> None:
    Subscription.objects.bulk_create(
        [Subscription(member=member, topic=topic)], ignore_conflicts=True
    )


def _announce(post: Post) -> None:
    """Tell mentioned members and followers of a post now published, from a job once the
    transaction commits: what the writer waits for does not grow with the audience."""
    # By name: the jobs module imports this one.
    defer_on_commit("tenant_apps.forums.jobs.post_announce", post_id=post.pk)


def post_announce(*, post_id: int) -> None:
    """Notify the members a published post mentions, then its topic's other followers,
    those of them who may read it now; a few queries whatever their number, and nobody
    twice when run again."""
    post = (
        Post.objects.select_related("author", "topic__category__space", "topic__category__group")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.status != Post.Status.PUBLISHED:
        return  # deleted or hidden since it was written: nobody to tell
    topic = post.topic
    about: dict[str, Any] = {
        "actor": post.author, "subject": topic.title, "url": post_url(post),
        "source": f"forums.post:{post.pk}",
    }  # fmt: skip
    named = {member.pk for member in _named(post.body)}
    mentioned = access.members_who_can_read(topic, named)
    notifications.notifications_fan_out(
        recipient_ids=mentioned, kind=Notification.Kind.MENTION, **about
    )
    if post.is_opening:
        return
    # One notification per post: a mentioned follower has had theirs.
    following = Subscription.objects.filter(topic=topic).exclude(member_id__in=mentioned)
    followers = access.members_who_can_read(topic, following.values_list("member_id", flat=True))
    notifications.notifications_fan_out(
        recipient_ids=followers, kind=Notification.Kind.REPLY, **about
    )


# --- Topics and posts ------------------------------------------------------------------------


def topic_create(
    *,
    author: Member,
    category: Category,
    title: str,
    body: str,
    warnings: Iterable[ContentWarning] = (),
    confirmed_identifying: bool = False,
) -> Topic:
    """Open a topic with its first post, screened; held for approval when screening says so.

    The returned topic carries ``screening`` (the outcome) for the page that follows.
    """
    access.check_readable(access.category_readable(author, category))
    title = title.strip()
    _check_text(body=body, title=title)
    screening = _screen(
        author=author, text=f"{title}\n{body}", confirmed_identifying=confirmed_identifying
    )
    html = _render(body, category)
    with transaction.atomic():
        topic = Topic.objects.create(
            category=category, author=author, title=title, last_post_at=timezone.now(),
            status=Topic.Status.HELD if screening.held else Topic.Status.VISIBLE,
        )  # fmt: skip
        warnings = _ordered(warnings)
        post = Post.objects.create(
            topic=topic, author=author, is_opening=True, body=body, body_html=html,
            status=Post.Status.HELD if screening.held else Post.Status.PUBLISHED,
            warning_names=[warning.name for warning in warnings],
        )  # fmt: skip
        post.warnings.set(warnings)
        _index(post, topic)
        _subscribe(author, topic)
        _after_screening(post, screening)
        if not screening.held:
            _announce(post)
    post.screening = topic.screening = screening
    topic.opening_post = post
    return topic


def post_create(
    *,
    author: Member,
    topic: Topic,
    body: str,
    warnings: Iterable[ContentWarning] = (),
    confirmed_identifying: bool = False,
) -> Post:
    """Reply to a topic, screened; the author follows the topic from now on.

    The returned post carries ``screening`` (the outcome) for the page that follows.
    """
    access.check_readable(access.topic_readable(author, topic))
    if not selectors.can_reply(author, topic):
        raise ValidationError(_("This topic is locked: it takes no more replies."), code="locked")
    _check_text(body=body)
    screening = _screen(author=author, text=body, confirmed_identifying=confirmed_identifying)
    html = _render(body, topic.category)
    warnings = _ordered(warnings)
    with transaction.atomic():
        post = Post.objects.create(
            topic=topic, author=author, body=body, body_html=html,
            status=Post.Status.HELD if screening.held else Post.Status.PUBLISHED,
            warning_names=[warning.name for warning in warnings],
        )  # fmt: skip
        if warnings:
            post.warnings.set(warnings)
        _index(post, topic, new_reply=True)
        if not screening.held:
            _count_reply(topic, post)
        _subscribe(author, topic)
        _after_screening(post, screening)
        if not screening.held:
            _announce(post)
    post.screening = screening
    return post


def _ordered(warnings: Iterable[ContentWarning]) -> list[ContentWarning]:
    """Content warnings in the order the page lists them (``ContentWarning.Meta.ordering``)."""
    return sorted(warnings, key=lambda warning: (warning.position, warning.name))


def _touch(*, post: Post | None = None, topic: Topic | None = None) -> None:
    """A new version of the post or the topic: the post's cached rendering, or those of all
    the topic's posts (forums.fragments), are no longer used."""
    if post is not None:
        Post.objects.filter(pk=post.pk).update(version=F("version") + 1)
    if topic is not None:
        Topic.objects.filter(pk=topic.pk).update(version=F("version") + 1)


def topic_touch(*, topic: Topic) -> None:
    """A new version of the topic, after a change in how its messages read (lock, pin,
    move): their cached renderings are no longer used."""
    _touch(topic=topic)


def _count_reply(topic: Topic, post: Post, step: int = 1) -> None:
    Topic.objects.filter(pk=topic.pk).update(
        reply_count=Greatest(F("reply_count") + step, 0),
        last_post_at=Greatest(F("last_post_at"), post.created) if step > 0 else F("last_post_at"),
    )


def post_edit(*, post: Post, editor: Member, body: str, reason: str = "") -> Post:
    """Change a post's text, keeping the previous one as a revision (who, when, why).

    Authors editing their own post are screened like a new post, except that nothing is held
    back: words that would hold a new post flag the edit, and signs of a crisis open an urgent
    case and show the help lines (``post.screening``). Moderators' edits are not screened.
    """
    _check_text(body=body)
    screening = None
    if editor.pk == post.author_id and not selectors.is_moderator(editor):
        found = _screen(author=editor, text=body, confirmed_identifying=True)
        screening = dataclasses.replace(
            found, premoderated=False, held_by=[], flagged_by=found.flagged_by + found.held_by
        )
    topic = post.topic
    html = _render(body, topic.category)
    with transaction.atomic():
        PostRevision.objects.create(
            post=post, body=post.body, edited_by=editor, reason=reason.strip()[:300]
        )
        post.body = body
        post.body_html = html
        post.edited = timezone.now()
        post.save(update_fields=["body", "body_html", "edited"])
        _touch(post=post)
        _index(post, topic)
        if screening is not None:
            _after_screening(post, screening)
    post.screening = screening
    return post


def post_publish(*, post: Post, moderator: Member) -> Post:
    """Publish a held post, or restore a hidden one (moderation decisions): counters follow,
    and a first publication notifies mentioned members and followers."""
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic__category").get(pk=post.pk)
        if post.status == Post.Status.PUBLISHED:
            return post
        first_time = post.status == Post.Status.HELD
        post.status = Post.Status.PUBLISHED
        post.hidden_reason = ""
        post.save(update_fields=["status", "hidden_reason"])
        _touch(post=post)
        topic = post.topic
        if post.is_opening:
            Topic.objects.filter(pk=topic.pk).update(
                status=Topic.Status.VISIBLE, version=F("version") + 1
            )
            topic.status = Topic.Status.VISIBLE
        else:
            _count_reply(topic, post)
        topic_reindex(topic=topic)
        if first_time:
            _announce(post)
    return post


def post_hide(*, post: Post, moderator: Member, reason: str) -> Post:
    """Hide a post (its author then sees the reason instead of it); an opening post hides
    its topic."""
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        was_counted = post.status == Post.Status.PUBLISHED and not post.is_opening
        post.status = Post.Status.HIDDEN
        post.hidden_reason = reason.strip()[:300]
        post.save(update_fields=["status", "hidden_reason"])
        _touch(post=post)
        if post.is_opening:
            Topic.objects.filter(pk=post.topic_id).update(
                status=Topic.Status.HIDDEN, version=F("version") + 1
            )
        elif was_counted:
            _count_reply(post.topic, post, step=-1)
        topic_reindex(topic=post.topic)
    return post


def reaction_toggle(*, member: Member, post: Post, kind: str) -> bool:
    """Add the member's reaction of this kind to a post, or take it back; True when added."""
    pressed = Reaction.objects.filter(post=post, member=member, kind=kind).exists()
    return reaction_set(member=member, post=post, kind=kind, pressed=not pressed)


def reaction_set(*, member: Member, post: Post, kind: str, pressed: bool) -> bool:
    """Press or release the member's reaction of this kind, whatever it was before: the same
    button sent twice (a double submit) changes nothing the second time. True when pressed."""
    access.check_readable(access.post_readable(member, post))
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": _("Choose one of the offered reactions.")})
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError({"kind": _("Only published messages take reactions.")})
    with transaction.atomic():
        if not pressed:
            deleted, _counts = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
            if deleted:
                _count_reaction(post, kind, -1)
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, member=member, kind=kind)
        except IntegrityError:
            return True  # already pressed (or a double click raced us): counted once
        _count_reaction(post, kind, 1)
    return True


def _count_reaction(post: Post, kind: str, step: int) -> None:
    # In one statement with the version: the page reads the count from the post.
    field = Post.count_field(kind)
    Post.objects.filter(pk=post.pk).update(
        **{field: Greatest(F(field) + step, 0)}, version=F("version") + 1
    )


def post_reactions_recount(*, post_ids: Iterable[int]) -> None:
    """Count these posts' reactions again, in one statement (after reactions were deleted in
    bulk, as when a member's account is erased)."""
    reactions = Reaction.objects.filter(post=OuterRef("pk"))
    counts = {
        Post.count_field(kind): Coalesce(
            Subquery(
                reactions.filter(kind=kind).values("post").annotate(n=Count("pk")).values("n")
            ),
            0,
        )
        for kind in Reaction.Kind.values
    }
    Post.objects.filter(pk__in=list(post_ids)).update(**counts, version=F("version") + 1)


def post_warning_remove(*, warning: ContentWarning) -> None:
    """Take a content warning off the posts tagged with it, before it is deleted: readers who
    folded it see those posts open."""
    tagged = Post.warnings.through.objects.filter(contentwarning=warning).values("post_id")
    Post.objects.filter(pk__in=tagged).update(
        warning_names=Func(F("warning_names"), Value(warning.name), function="array_remove"),
        version=F("version") + 1,
    )


def topic_read_mark(*, member: Member, topic: Topic, post_id: int) -> None:
    """Move the member's read mark forward to ``post_id`` (never back), in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TopicRead._meta.db_table} (member_id, topic_id, last_post_id) "  # noqa: S608 - table name from the model
            "VALUES (%s, %s, %s) ON CONFLICT (member_id, topic_id) DO UPDATE "
            f"SET last_post_id = GREATEST({TopicRead._meta.db_table}.last_post_id, "
            "EXCLUDED.last_post_id)",
            [member.pk, topic.pk, post_id],
        )


def topic_follow(*, member: Member, topic: Topic) -> None:
    """Be notified of the topic's replies."""
    access.check_readable(access.topic_readable(member, topic))
    _subscribe(member, topic)


def topic_unfollow(*, member: Member, topic: Topic) -> None:
    """Stop being notified of the topic's replies."""
    Subscription.objects.filter(member=member, topic=topic).delete()


def reading_preference_set(
    *, member: Member, collapsed: Iterable[ContentWarning]
) -> ReadingPreference:
    """Choose which content warnings fold the posts that carry them."""
    preference, _created = ReadingPreference.objects.get_or_create(member=member)
    preference.collapsed_warnings.set(list(collapsed))
    return preference


# --- Groups ----------------------------------------------------------------------------------


def _unique_slug(model, base: str, prefix: str = "") -> str:
    base = (prefix + (slugify(base) or "groupe"))[:50].strip("-")
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def group_propose(*, proposer: Member, name: str, description: str, space, access: str) -> Group:
    """Propose a themed group in one of the proposer's spaces; moderators decide."""
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the group a name.")
    if not description.strip():
        errors["description"] = _("Say what the group is about.")
    if space is None or space.pk not in {s.pk for s in spaces_for(proposer)}:
        errors["space"] = _("Choose one of your spaces.")
    if access not in Group.Access.values:
        errors["access"] = _("Choose who can join.")
    if errors:
        raise ValidationError(errors)
    return Group.objects.create(
        space=space, name=name.strip(), slug=_unique_slug(Group, name), access=access,
        description=description.strip(), proposed_by=proposer,
    )  # fmt: skip


def _group_url(group: Group) -> str:
    return reverse("forums:group_detail", args=[group.slug])


def group_approve(*, group: Group, moderator: Member, self_opened: bool = False) -> Group:
    """Approve a proposed group: its forum opens in its space, and its proposer joins it as
    its first group moderator. ``self_opened``: the network lets this kind of group open
    without a moderator (a local group, tenant_apps.pro.care): the proposer is the
    ``moderator`` given, nobody is notified, and the audit says so."""
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if locked.status != Group.Status.PROPOSED:
            raise ValidationError(_("This group was already decided."), code="decided")
        group.status = Group.Status.APPROVED
        group.decided_by = moderator
        group.decided_at = timezone.now()
        group.save(update_fields=["status", "decided_by", "decided_at"])
        position = (Category.objects.aggregate(m=Max("position"))["m"] or 0) + 1
        Category.objects.create(
            space=group.space, group=group, name=group.name, position=position,
            slug=_unique_slug(Category, group.slug, prefix="groupe-"),
            description=group.description[:300],
        )  # fmt: skip
        if group.proposed_by is not None:
            GroupMembership.objects.update_or_create(
                group=group, member=group.proposed_by,
                defaults={"status": GroupMembership.Status.MEMBER, "is_moderator": True},
            )  # fmt: skip
            if not self_opened:
                notification_create(
                    recipient=group.proposed_by, kind=Notification.Kind.GROUP, actor=moderator,
                    subject=group.name, url=_group_url(group),
                    detail=_("Your group was approved."),
                )  # fmt: skip
        audit(
            actor=moderator,
            action="group_open_self" if self_opened else "group_approve",
            target=group.proposed_by,
            group=group.pk,
        )
    return group


def group_refuse(*, group: Group, moderator: Member, reason: str) -> Group:
    """Refuse a proposed group; its proposer is told why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the proposer why.")})
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if locked.status != Group.Status.PROPOSED:
            raise ValidationError(_("This group was already decided."), code="decided")
        group.status = Group.Status.REFUSED
        group.refusal_reason = reason[:300]
        group.decided_by = moderator
        group.decided_at = timezone.now()
        group.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        if group.proposed_by is not None:
            notification_create(
                recipient=group.proposed_by, kind=Notification.Kind.GROUP, actor=moderator,
                subject=group.name, url=reverse("forums:group_list"), detail=reason,
            )  # fmt: skip
        audit(actor=moderator, action="group_refuse", target=group.proposed_by, group=group.pk)
    return group


def group_join(*, member: Member, group: Group) -> GroupMembership:
    """Join an open group, or ask to join one on request."""
    if group.status != Group.Status.APPROVED:
        raise ValidationError(_("This group is not open yet."), code="not_open")
    status = (
        GroupMembership.Status.MEMBER
        if group.access == Group.Access.PUBLIC
        else GroupMembership.Status.PENDING
    )
    membership, _created = GroupMembership.objects.get_or_create(
        group=group, member=member, defaults={"status": status}
    )
    return membership


def group_leave(*, member: Member, group: Group) -> None:
    """Leave a group, or withdraw a request to join it."""
    GroupMembership.objects.filter(group=group, member=member).delete()


def group_request_decide(
    *, membership: GroupMembership, decider: Member, accept: bool
) -> GroupMembership | None:
    """Accept or decline a request to join a group (group moderators, moderators)."""
    with transaction.atomic():
        try:
            membership = (
                GroupMembership.objects.select_for_update()
                .select_related("group")
                .get(pk=membership.pk, status=GroupMembership.Status.PENDING)
            )
        except GroupMembership.DoesNotExist as error:
            decided = _("This request was already decided.")
            raise ValidationError(decided, code="decided") from error
        group = membership.group
        if accept:
            membership.status = GroupMembership.Status.MEMBER
            membership.save(update_fields=["status"])
            detail = _("Your request to join the group was accepted.")
        else:
            membership.delete()
            detail = _("Your request to join the group was declined.")
        notification_create(
            recipient=membership.member, kind=Notification.Kind.GROUP, actor=decider,
            subject=group.name, url=_group_url(group), detail=detail,
        )  # fmt: skip
        audit(
            actor=decider, action="group_request_accept" if accept else "group_request_decline",
            target=membership.member, group=group.pk,
        )  # fmt: skip
    return membership if accept else None


def group_moderator_name(*, group: Group, member: Member, actor: Member) -> GroupMembership:
    """Make a member of the group one of its moderators."""
    membership = GroupMembership.objects.filter(
        group=group, member=member, status=GroupMembership.Status.MEMBER
    ).first()
    if membership is None:
        raise ValidationError({"member": _("Only a member of the group can moderate it.")})
    if not membership.is_moderator:
        membership.is_moderator = True
        membership.save(update_fields=["is_moderator"])
        audit(actor=actor, action="group_moderator_name", target=member, group=group.pk)
    return membership


def can_decide_groups(member: Member) -> bool:
    return has_permission(member, "forums.group:decide")

"""What every new network's forums start with."""

import datetime

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from tenant_apps.forums import services
from tenant_apps.forums.models import Category, ContentWarning, Group, Post, Topic
from tenant_apps.forums.selectors import CONTENT_WARNINGS_KEY
from tenant_apps.members.models import Member, Space
from tenant_apps.notifications.models import Notification

DEFAULT_WARNINGS = ("Décès", "Récidive", "Soins palliatifs")
# (space slug, category slug, name, description)
DEFAULT_CATEGORIES = (
    ("patients", "bienvenue", "Bienvenue", "Présentez-vous et posez vos premières questions."),
    ("patients", "traitements", "Traitements et effets secondaires",
     "Partager son expérience des traitements."),
    ("patients", "vie-quotidienne", "Vie quotidienne", "Travail, fatigue, alimentation, moral."),
    ("proches-aidants", "bienvenue-proches", "Bienvenue", "Présentez-vous entre proches aidants."),
    ("proches-aidants", "aider-sans-s-epuiser", "Aider sans s'épuiser",
     "Répit, démarches, soutien."),
)  # fmt: skip


def seed_defaults() -> None:
    """Content warnings and one forum per theme in each default space; a second run adds
    nothing."""
    ContentWarning.objects.bulk_create(
        [ContentWarning(name=name, position=i) for i, name in enumerate(DEFAULT_WARNINGS)],
        ignore_conflicts=True,
    )
    cache.delete(CONTENT_WARNINGS_KEY)  # bulk_create sends no signal
    spaces = {space.slug: space for space in Space.objects.all()}
    start = Category.objects.aggregate(m=Max("position"))["m"] or 0
    Category.objects.bulk_create(
        [
            Category(space=spaces[space_slug], slug=slug, name=name, description=description,
                     position=start + i)
            for i, (space_slug, slug, name, description) in enumerate(DEFAULT_CATEGORIES, 1)
            if space_slug in spaces
        ],
        ignore_conflicts=True,
    )  # fmt: skip


def demo_content(*, accounts: dict[str, Member], content: dict) -> None:
    """A network's demo forums, groups and a week of topics, replies, reactions and follows,
    through the real services; idempotent (a topic is matched by its title).

    Messages are dated over the last days (``days_ago`` of a topic, replies a few hours
    apart), and so are the notifications they sent to mentioned members and followers.
    """
    _categories(content["forum_categories"])
    groups = {spec["name"]: _group(spec, accounts) for spec in content.get("groups", ())}
    names = {key: member.display_name for key, member in accounts.items()}
    now = timezone.now()
    for spec in content["topics"]:
        if spec.get("group"):
            category = groups[spec["group"]].category
        else:
            category = Category.objects.get(slug=spec["category"])
        if Topic.objects.filter(category=category, title=spec["title"]).exists():
            continue
        _topic(spec, category, accounts, names, now)


def _categories(specs) -> None:
    """The network's own forums; the default ones it does not have go while still empty."""
    spaces = {space.slug: space for space in Space.objects.all()}
    for position, (space_slug, slug, name, description) in enumerate(specs, 1):
        Category.objects.update_or_create(
            slug=slug,
            defaults={"space": spaces[space_slug], "name": name, "description": description,
                      "position": position, "group": None},
        )  # fmt: skip
    kept = [slug for _space, slug, _name, _description in specs]
    Category.objects.filter(group=None, topics__isnull=True).exclude(slug__in=kept).delete()


def _group(spec: dict, accounts: dict[str, Member]) -> Group:
    group = Group.objects.filter(name=spec["name"]).first()
    if group is not None:
        return group
    group = services.group_propose(
        proposer=accounts[spec["proposer"]],
        name=spec["name"],
        space=Space.objects.get(slug=spec["space"]),
        access=spec.get("access", Group.Access.PUBLIC),
        description=spec["description"],
    )
    services.group_approve(group=group, moderator=accounts["modo"])
    for key in spec.get("members", ()):
        services.group_join(member=accounts[key], group=group)
    # Opened before the week of messages, and so was its proposer told.
    opened = timezone.now() - datetime.timedelta(days=spec.get("days_ago", 10))
    Group.objects.filter(pk=group.pk).update(created=opened, decided_at=opened)
    Notification.objects.filter(
        recipient=group.proposed_by, kind=Notification.Kind.GROUP, subject=group.name
    ).update(created=opened)
    group.refresh_from_db()
    return group


def _topic(spec: dict, category: Category, accounts, names, now) -> None:
    moderator = accounts["modo"]
    topic = services.topic_create(
        author=accounts[spec["author"]],
        category=category,
        title=spec["title"],
        body=spec["body"].format(**names),
        warnings=ContentWarning.objects.filter(name__in=spec.get("warnings", ())),
    )
    # Demo members' first posts are held like anyone's; their moderator approves each at
    # once, so that others can read the topic and reply (moderation.seeds.demo_activity
    # closes the held cases).
    posts = [_approved(topic.opening_post, moderator)]
    topic.refresh_from_db()
    for author, body in spec.get("replies", ()):
        reply = services.post_create(
            author=accounts[author], topic=topic, body=body.format(**names)
        )
        posts.append(_approved(reply, moderator))
    for key in spec.get("followers", ()):
        services.topic_follow(member=accounts[key], topic=topic)
    for index, kind, keys in spec.get("reactions", ()):
        for key in keys:
            services.reaction_toggle(member=accounts[key], post=posts[index], kind=kind)
    # Told now rather than by the worker's job (which then tells nobody twice), so that the
    # notifications can carry their message's date.
    for post in posts:
        services.post_announce(post_id=post.pk)
    if spec.get("pinned"):
        Topic.objects.filter(pk=topic.pk).update(pinned=True)
    _date(topic, posts, now - datetime.timedelta(days=spec["days_ago"]), now)


def _approved(post: Post, moderator: Member) -> Post:
    if post.status == Post.Status.HELD:
        return services.post_publish(post=post, moderator=moderator)
    return post


def _date(topic: Topic, posts: list[Post], opened: datetime.datetime, now) -> None:
    """Spread the topic's messages from ``opened`` on, a few hours apart, before now."""
    room = (now - opened) * 0.9 / max(len(posts) - 1, 1)
    gap = min(room, datetime.timedelta(hours=7))
    dates = [_awake(opened + gap * index) for index in range(len(posts))]
    for post, created in zip(posts, dates, strict=True):
        Post.objects.filter(pk=post.pk).update(created=created)
        Notification.objects.filter(source=f"forums.post:{post.pk}").update(created=created)
    Topic.objects.filter(pk=topic.pk).update(created=dates[0], last_post_at=dates[-1])


def _awake(moment: datetime.datetime) -> datetime.datetime:
    """Members mostly write by day: a time between midnight and 7:00 (French time) moves
    into 6:00-7:00, keeping the order of messages (and staying in the past)."""
    local = timezone.localtime(moment)
    if local.hour >= 7:
        return moment
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight + datetime.timedelta(hours=7) > timezone.now():
        return moment  # seeded before 7:00: this night's messages stay as they are
    return midnight + datetime.timedelta(hours=6) + (local - midnight) / 7

"""Reads of the knowledge base, and the network's search across articles and forum topics."""

import datetime
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.compiled import Compiled
from core.hooks import tenant_app_hooks
from core.search import CONFIG, SearchSource, fold, searchable
from tenant_apps.forums import access as forums_access
from tenant_apps.forums.models import Post, Topic
from tenant_apps.forums.selectors import access_topic
from tenant_apps.knowledge import access, roles
from tenant_apps.knowledge.models import (
    Article,
    ArticleVersion,
    Category,
    EditorialRole,
    MissedSearch,
    Question,
)
from tenant_apps.knowledge.services import plain_text
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader

SEARCH_PAGE_SIZE = 20
# Articles are verified answers: they come before forum talk of the same relevance.
ARTICLE_FACTOR = 1.0
TOPIC_FACTOR = 0.6
# The newest matches considered from each source (see _search_sql).
ARTICLE_CAP = 200
TOPIC_CAP = 300
KINDS = ("article", "topic")


@functools.cache
def other_sources() -> tuple[SearchSource, ...]:
    """The search's sources offered by the apps this one may not import, side by side with
    it in the layers (``<app>.search.SOURCE``, core.hooks): the events."""
    return tuple(source for _app, source in tenant_app_hooks("search", "SOURCE"))


def categories_list() -> list[Category]:
    return list(Category.objects.all())


def articles_for(member: Member, *, category: Category | None = None) -> QuerySet[Article]:
    """Published articles this member may read (knowledge.access), newest first."""
    articles = (
        Article.objects.visible_to(member)
        .defer("body", "body_html", "search_vector")
        .prefetch_related("categories")
        .order_by("-published", "-id")
    )
    if category is not None:
        articles = articles.filter(categories=category)
    return articles


def articles_for_editors(*, status: str = "") -> QuerySet[Article]:
    articles = (
        Article.objects.select_related("reviewer__user", "space")
        .defer("body", "body_html", "search_vector")
        .order_by("-updated", "-id")
    )
    if status:
        articles = articles.filter(status=status)
    return articles


def access_article(member: Member | None, pk: int) -> Article:
    """An article this member may read: published and in their audience, or any article for
    editors and reviewers (knowledge.access); anything else is the same 404 as a missing
    one."""
    articles = (
        Article.objects.select_related("reviewer__user", "space")
        .prefetch_related("sources", "categories", "tags")
        .defer("search_vector")
    )
    return access.article_or_404(member, articles, pk, drafts=True)


def access_article_for_writer(member: Member | None, pk: int) -> Article:
    if not roles.can_write(member):
        raise Http404
    return access_article(member, pk)


def published_articles_choice(member: Member) -> QuerySet[Article]:
    """What an editor or moderator can point a member to."""
    return Article.objects.filter(status=Article.Status.PUBLISHED).order_by("title")


def versions_of(article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("changed_by__user").order_by("-number")


def access_version(article: Article, number: int) -> ArticleVersion:
    version = versions_of(article).filter(number=number).first()
    if version is None:
        raise Http404
    return version


def editorial_roles() -> QuerySet[EditorialRole]:
    return EditorialRole.objects.select_related("member__user").order_by(
        "member__user__username", "kind"
    )


@dataclass
class Theme:
    category: Category | None
    count: int
    questions: list[Question]


def questions_by_theme() -> list[Theme]:
    """Open questions grouped by theme (article category), the most asked first."""
    open_questions = Question.objects.filter(status=Question.Status.OPEN).select_related(
        "asker__user"
    )
    themes: dict[int | None, Theme] = {}
    categories = Category.objects.annotate(
        open_count=Count("questions", filter=Q(questions__status=Question.Status.OPEN))
    )
    for category in categories:
        themes[category.pk] = Theme(category=category, count=category.open_count, questions=[])
    themes[None] = Theme(category=None, count=0, questions=[])
    for question in open_questions.order_by("created"):
        theme = themes[question.category_id]
        theme.questions.append(question)
    themes[None].count = len(themes[None].questions)
    return sorted(themes.values(), key=lambda t: (-t.count, t.category is None))


def access_open_question(pk: int) -> Question:
    question = Question.objects.filter(pk=pk, status=Question.Status.OPEN).first()
    if question is None:
        raise Http404
    return question


def access_category(pk: int) -> Category:
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        raise Http404
    return category


def missed_searches(*, days: int = 30, limit: int = 50) -> list[Mapping[str, Any]]:
    """The searches that found nothing lately, the most frequent first."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return list(
        MissedSearch.objects.filter(day__gte=since)
        .values("query")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")[:limit]
    )


def access_topic_for_moderator(member: Member | None, topic_id: int):
    """A topic a moderator may reply to with an article card; 404 for anyone else."""
    if not has_permission(member, "forums.topic:moderate"):
        raise Http404
    return access_topic(member, topic_id)


# --- search -----------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    obj: object
    title_html: str
    snippet_html: str
    rank: float
    post_id: int | None = None


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = SEARCH_PAGE_SIZE
    # More matched than were ranked: ``total`` is a lower bound.
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _articles_source(
    shape: tuple[tuple[int, ...], bool, int], *, query: str, category_id: int = 0
) -> QuerySet:
    space_ids, in_category, cap = shape
    matching = Article.objects.visible_for(space_ids).filter(
        search_vector=SearchQuery(query, search_type="websearch", config=CONFIG)
    )
    if in_category:
        matching = matching.filter(categories=category_id)
    return matching.order_by("-published", "-id").values("id", "search_vector")[:cap]


def _topics_source(
    shape: tuple[forums_access.ReaderShape, int], *, member_id: int, query: str
) -> QuerySet:
    reader, cap = shape
    return (
        Topic.objects.visible_for(reader, member_id)
        .filter(
            status=Topic.Status.VISIBLE,
            search_vector=SearchQuery(query, search_type="websearch", config=CONFIG),
        )
        .order_by("-last_post_at", "-id")
        .values("id", "search_vector")[:cap]
    )


# The sources compiled once per process and shape of the rules (the member's spaces, and for
# the forums whether they moderate): the ORM's compiling of the rules was a third of the
# search's time in Python (tests/bench/search.py).
_ARTICLES = Compiled(_articles_source, texts=("query",))
_ARTICLES_IN_CATEGORY = Compiled(_articles_source, "category_id", texts=("query",))
_TOPICS = Compiled(_topics_source, "member_id", texts=("query",))


def _sources(
    member: Member,
    folded: str,
    *,
    articles: bool,
    topics: bool,
    category: Category | None,
    others: Sequence[SearchSource] = (),
) -> dict[str, tuple[str, list]]:
    """Each source's candidates as SQL and parameters: what the member may read (the apps'
    access rules, narrowed, never widened), matching the query, newest first and capped (a
    common word matches a large share of them: ranking them all takes far longer than a
    page may). Search shows what everyone is meant to read: published articles, visible
    topics, published and cancelled events (``others``: named by their kind, their rule
    compiled by their own app). A source the member may read nothing of is left out."""
    found: dict[str, tuple[str, list]] = {}
    if not is_reader(member):
        return found
    spaces = access.reader_shape(member)
    try:
        if articles and category is None:
            found["a"] = _ARTICLES.sql((spaces, False, ARTICLE_CAP), query=folded)
        elif articles and category is not None:
            found["a"] = _ARTICLES_IN_CATEGORY.sql(
                (spaces, True, ARTICLE_CAP), query=folded, category_id=category.pk
            )
    except EmptyResultSet:
        pass
    try:
        if topics:
            reader = forums_access.reader_shape(member)
            found["t"] = _TOPICS.sql((reader, TOPIC_CAP), query=folded, member_id=member.pk)
    except EmptyResultSet:
        pass
    for source in others:
        try:
            found[source.kind] = source.candidates(member, folded)
        except EmptyResultSet:
            pass
    return found


def _search_sql(
    sources: dict[str, tuple[str, list]], folded: str, *, limit: int, offset: int
) -> tuple[str, list]:
    """The candidates ranked together: title (A) above body (B), articles above topics.

    Each source is its queryset's own compiled SQL (forums.access, knowledge.access): the
    rule of who reads what is never written here. A forum topic is searched as one document,
    its title and its published posts (see forums.services.topic_reindex): a match in a
    reply finds its topic. The query is written out where it is used, not taken from a CTE:
    the planner then sees its words and estimates how common they are (a frequent word:
    walk the newest rows and stop at the cap; a rare one: the GIN index)."""
    tsq = f"websearch_to_tsquery('{CONFIG}', %s)"
    kinds = {
        "a": ("article", ARTICLE_FACTOR, ARTICLE_CAP),
        "t": ("topic", TOPIC_FACTOR, TOPIC_CAP),
        **{source.kind: (source.kind, source.factor, source.cap) for source in other_sources()},
    }
    ctes, ranked, counts = [], [], []
    cte_params: list = []
    ranked_params: list = []
    count_params: list = []
    for name, (sql, params) in sources.items():
        kind, factor, cap = kinds[name]
        ctes.append(f"{name} AS ({sql})")
        cte_params.extend(params)
        ranked.append(
            f"SELECT '{kind}' AS kind, {name}.id, "  # noqa: S608 - names from this function
            f"ts_rank({name}.search_vector, {tsq}) * %s AS rank FROM {name}"
        )
        ranked_params.extend([folded, factor])
        counts.append(f"(SELECT count(*) FROM {name}) >= %s")  # noqa: S608
        count_params.append(cap)
    union = "\nUNION ALL\n".join(f"({part})" for part in ranked)
    sql = f"""WITH {", ".join(ctes)}
        SELECT kind, id, rank, count(*) OVER () AS total, {" OR ".join(counts)},
               querytree({tsq})
          FROM ({union}) hits
         ORDER BY rank DESC, kind, id DESC
         LIMIT %s OFFSET %s"""  # noqa: S608
    return sql, [*cte_params, *count_params, folded, *ranked_params, limit, offset]


def search(
    *,
    member: Member,
    text: str,
    kind: str = "",
    category: Category | None = None,
    page: int = 1,
    page_size: int = SEARCH_PAGE_SIZE,
) -> SearchPage:
    """One page of what this member may read that matches ``text``, best first, with
    highlighted titles and snippets. Archived and unpublished articles, hidden topics and
    posts, draft events, and whatever the forums', the knowledge base's and the events'
    access rules keep from the member (spaces, groups, a suspension) never come back."""
    result = SearchPage(query=text, page=max(1, page), page_size=page_size)
    folded = searchable(_clean(text)).strip()
    if not folded:
        return result
    articles = kind in ("", "article")
    # The category filter is a theme of articles: forum topics have none.
    topics = kind in ("", "topic") and category is None
    # So have the other apps' sources (events).
    others = [s for s in other_sources() if kind in ("", s.kind) and category is None]
    sources = _sources(
        member, folded, articles=articles, topics=topics, category=category, others=others
    )
    if not sources:
        return result
    offset = (result.page - 1) * page_size
    sql, params = _search_sql(sources, folded, limit=page_size, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if not rows and result.page > 1:
            # Past the last page: still say how many there are.
            first_page, first_params = _search_sql(sources, folded, limit=1, offset=0)
            cursor.execute(first_page, first_params)
            first = cursor.fetchone()
            result.total, result.capped = (first[3], first[4]) if first else (0, False)
    if rows:
        result.total, result.capped = rows[0][3], rows[0][4]
        result.hits = _hydrate(rows, folded, _LEXEME.findall(rows[0][5]))
    return result


class _Folding(dict):
    """core.search.fold as a str.translate table, filled as characters are met: the same
    one-for-one folding, at C speed for the characters already seen."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = fold(chr(code))
        return folded


_FOLDING = _Folding()


def fast_fold(text: str) -> str:
    return text.translate(_FOLDING)


_LEXEME = re.compile(r"'((?:[^']|'')+)'")


def _topic_hits_query(size: int, *, query: str, **topic_ids: int) -> QuerySet:
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    match = Coalesce(
        ExpressionWrapper(
            Q(status=Post.Status.PUBLISHED, search_vector=search_query),
            output_field=BooleanField(),
        ),
        False,
    )
    return (
        Post.objects.filter(topic_id__in=[topic_ids[f"topic_{i}"] for i in range(size)])
        .annotate(match=match, rank=SearchRank(F("search_vector"), search_query))
        .filter(Q(is_opening=True) | Q(match=True))
        .select_related("topic__category")
        .defer("body", "search_vector", "topic__search_vector")
        .order_by("topic_id", F("match").desc(), F("rank").desc(nulls_last=True), "id")
        .distinct("topic_id")
    )


# Compiled once per process and number of topics (a page holds at most SEARCH_PAGE_SIZE).
_TOPIC_HITS: dict[int, Compiled] = {}


def _topic_hits(topic_ids: list[int], folded_query: str) -> dict[int, tuple]:
    """The topics found, each with its category and its published post that best matches
    the query, or its opening post when none does (the title matched, or words spread over
    several posts): topic id → (topic, post id, is opening, body HTML). One query."""
    if not topic_ids:
        return {}
    size = len(topic_ids)
    compiled = _TOPIC_HITS.get(size)
    if compiled is None:
        names = [f"topic_{i}" for i in range(size)]
        compiled = _TOPIC_HITS[size] = Compiled(_topic_hits_query, *names, texts=("query",))
    ids = {f"topic_{i}": topic_id for i, topic_id in enumerate(topic_ids)}
    posts = compiled.fetch(size, query=folded_query, **ids)
    return {post.topic_id: (post.topic, post.pk, post.is_opening, post.body_html) for post in posts}


def _hydrate(rows, folded_query: str, lexemes: list[str]) -> list[Hit]:
    article_ids = [row[1] for row in rows if row[0] == "article"]
    topic_ids = [row[1] for row in rows if row[0] == "topic"]
    # What the results page, the API's hits and the snippets read: each column loaded costs
    # about 15 µs a row in Python.
    shown = ("id", "title", "summary", "body_html", "status", "published")
    articles = {a.pk: a for a in Article.objects.filter(pk__in=article_ids).only(*shown)}
    topics = _topic_hits(topic_ids, folded_query)
    others = {
        source.kind: source.found(ids)
        for source in other_sources()
        if (ids := [row[1] for row in rows if row[0] == source.kind])
    }
    entries = []
    for kind, pk, rank, *_rest in rows:
        post_id = None
        if kind == "article":
            obj = articles.get(pk)
            body = f"{obj.summary} {plain_text(obj.body_html)}" if obj else ""
        elif kind in others:
            obj, _title, body = others[kind].get(pk, (None, "", ""))
        else:
            obj, post_id, opening, html = topics.get(pk, (None, None, True, ""))
            body = plain_text(html)
            # A reply is linked to; an opening post is the topic's own page.
            post_id = None if opening else post_id
        if obj is None:  # deleted between the two queries
            continue
        entries.append((kind, obj, rank, post_id, obj.title, body))
    marked = headlines(folded_query, [(e[4], e[5]) for e in entries], lexemes=lexemes)
    return [
        Hit(kind=k, obj=o, rank=r, post_id=p, title_html=title_html, snippet_html=snippet_html)
        for (k, o, r, p, _t, _b), (title_html, snippet_html) in zip(entries, marked, strict=True)
    ]


# Private-use characters cannot come from a member (they are removed from what is searched
# and shown), so they mark hits and fragment breaks in ts_headline's output unambiguously.
START, STOP, BREAK = "\ue000", "\ue001", "\ue002"
_PRIVATE = {ord(c): " " for c in (START, STOP, BREAK)}
TITLE_OPTIONS = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
BODY_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, ShortWord=2, "
    f"MaxFragments=2, FragmentDelimiter={BREAK}"
)


def _clean(text: str) -> str:
    return text.translate(_PRIVATE)


SNIPPET_WINDOW = 600


# Accented letters that fold to each ASCII letter, to find a stem in unfolded text.
_ACCENTED = {"a": "àâäá", "c": "ç", "e": "éèêë", "i": "îïí", "o": "ôöó", "u": "ùûüú", "y": "ÿ"}


def _stem_pattern(lexemes: list[str]) -> re.Pattern | None:
    """A regular expression finding any of the query's stems at a word start in the
    original text, accents and case ignored (the text need not be folded to find a hit)."""
    alternatives = []
    for lexeme in lexemes:
        chars = lexeme.replace("''", "'")
        alternatives.append(
            "".join(f"[{c}{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in chars)
        )
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def _window(text: str, pattern: re.Pattern | None) -> tuple[str, bool, bool]:
    """The part of a long text around its first hit (ts_headline's time grows with the
    text), and whether text was left out before and after it."""
    if len(text) <= SNIPPET_WINDOW:
        return text, False, False
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - SNIPPET_WINDOW // 4) if found else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET_WINDOW)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return text[start:end], start > 0, end < len(text)


def headlines(
    folded_query: str, texts: list[tuple[str, str]], *, lexemes: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(title, body) pairs as escaped HTML with the query's hits in <mark>, in one query.

    ts_headline runs on the folded texts (that is where the stems match); since folding keeps
    every character at its offset, each highlighted fragment is cut from the original text.
    A long body is first cut around its first hit (``lexemes``: the query's stems).
    """
    if not texts:
        return []
    titles = [_clean(title) for title, _body in texts]
    pattern = _stem_pattern(list(lexemes))
    windows = [
        (_clean(window), before, after)
        for window, before, after in (_window(body, pattern) for _title, body in texts)
    ]
    bodies = [body for body, _before, _after in windows]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT ts_headline('{CONFIG}', t, q, %(title_options)s),
                       ts_headline('{CONFIG}', b, q, %(body_options)s)
                  FROM unnest(%(titles)s::text[], %(bodies)s::text[]) WITH ORDINALITY AS u(t, b, n),
                       websearch_to_tsquery('{CONFIG}', %(query)s) AS q
                 ORDER BY n""",  # noqa: S608
            {
                "title_options": TITLE_OPTIONS,
                "body_options": BODY_OPTIONS,
                "titles": [fast_fold(t) for t in titles],
                "bodies": [fast_fold(b) for b in bodies],
                "query": folded_query,
            },
        )
        rows = cursor.fetchall()
    return [
        (map_headline(title, title_hl), _ellipsis(map_headline(body, body_hl), before, after))
        for title, (body, before, after), (title_hl, body_hl) in zip(
            titles, windows, rows, strict=True
        )
    ]


def _ellipsis(html: str, before: bool, after: bool) -> str:
    if before and not html.startswith("…"):
        html = "…" + html
    if after and not html.endswith("…"):
        html += "…"
    return html


def map_headline(original: str, headline: str) -> str:
    """Escaped HTML of ``original`` cut and marked as ts_headline cut and marked its folding."""
    folded = fast_fold(original)
    pieces: list[str] = []
    cursor = 0
    for fragment in headline.split(BREAK):
        plain: list[str] = []
        marks: list[tuple[int, int]] = []
        inside, start = False, 0
        for char in fragment:
            if char == START:
                inside, start = True, len(plain)
            elif char == STOP:
                if inside:
                    marks.append((start, len(plain)))
                inside = False
            else:
                plain.append(char)
        text = "".join(plain)
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        at = folded.find(stripped, cursor)
        if at < 0:
            at = folded.find(stripped)
        if at < 0:
            # Not found verbatim (should not happen): show the original's start, unmarked.
            return escape(original[:200]) + ("…" if len(original) > 200 else "")
        cursor = at + len(stripped)
        html, last = [], 0
        for mark_start, mark_end in marks:
            s = max(mark_start - lead, 0)
            e = min(mark_end - lead, len(stripped))
            if e <= s:
                continue
            html.append(escape(original[at + last : at + s]))
            html.append(f"<mark>{escape(original[at + s : at + e])}</mark>")
            last = e
        html.append(escape(original[at + last : at + len(stripped)]))
        prefix = "…" if at > 0 and not pieces else ""
        suffix = "…" if at + len(stripped) < len(original) else ""
        pieces.append(prefix + "".join(html) + suffix)
    if not pieces:
        return escape(original[:200]) + ("…" if len(original) > 200 else "")
    return " ".join(pieces)


# --- webinar themes --------------------------------------------------------------------------

# The questions still waiting: not answered with an article (open, or kept for a webinar).
WAITING_QUESTIONS = (Question.Status.OPEN, Question.Status.WEBINAR)


@dataclass
class ThemeDemand:
    """What members asked on one theme: their questions still waiting, and how often a
    search on the theme found nothing. Counts only: never who asked, nor what."""

    category: Category
    questions: int
    gaps: int

    @property
    def total(self) -> int:
        return self.questions + self.gaps


def _theme_terms(category: Category) -> set[str]:
    """How a search names a theme: its name and its slug's words, folded."""
    terms = {" ".join(fold(category.name).split()), category.slug.replace("-", " ")}
    return {term for term in terms if len(term) >= 3}


def themes_demand(*, days: int = 90, gaps_limit: int = 1000) -> list[ThemeDemand]:
    """The knowledge base's themes with the members' waiting questions on each (their
    chosen theme) and the searches without result that name it in the last ``days`` days
    (the folded query contains the folded theme name or its slug's words), the most asked
    first; themes nobody asked about come last. Three queries whatever the number of themes."""
    categories = list(
        Category.objects.annotate(
            waiting=Count("questions", filter=Q(questions__status__in=WAITING_QUESTIONS))
        ).order_by("position", "name")
    )
    missed = missed_searches(days=days, limit=gaps_limit)
    found = []
    for category in categories:
        terms = _theme_terms(category)
        gaps = sum(row["total"] for row in missed if any(t in row["query"] for t in terms))
        found.append(ThemeDemand(category=category, questions=category.waiting, gaps=gaps))
    return sorted(found, key=lambda theme: -theme.total)


def theme_demand(category: Category, *, days: int = 90) -> ThemeDemand:
    """One theme's demand (see ``themes_demand``)."""
    for theme in themes_demand(days=days):
        if theme.category.pk == category.pk:
            return theme
    raise Http404


def theme_askers(category: Category) -> list[int]:
    """The members (ids) whose question on this theme still waits, each once."""
    return list(
        Question.objects.filter(category=category, status__in=WAITING_QUESTIONS)
        .exclude(asker=None)
        .order_by("asker_id")
        .values_list("asker_id", flat=True)
        .distinct()
    )

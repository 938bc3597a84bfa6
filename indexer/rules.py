"""Boilerplate rules, written as data so an editor can read and extend them.

Every rule names what it removes; the cleaner records the rule's name for each
block it drops (``kb extract`` shows them). Entries that may surprise carry a
comment saying why they are there.
"""

from __future__ import annotations

# Where the article usually is, most specific site conventions last. The first
# selector with a large enough match wins; otherwise the densest text block does.
CONTENT_SELECTORS: list[str] = [
    "article",
    "main",
    "[role=main]",
    "[itemprop=articleBody]",
    "#post-body",
    ".entry-content",
    ".post-content",
    ".article-body",
]
MIN_CONTENT_CHARS = 200  # a smaller <article> is a teaser card, not the article
MIN_PARAGRAPH_CHARS = 25  # shorter text is a label or a link caption, not prose
# Siblings of the article's block taken in with it: a big share of its prose, or a
# paragraph-sized text that is not mostly links (a stand-first, a "Sources:" line).
SIBLING_SHARE = 0.2
SIBLING_MIN_CHARS = 50
SIBLING_MAX_LINK_DENSITY = 0.25
# A <header> holding this much prose is an article's lead, not the page header.
MIN_HEADER_PROSE_CHARS = 150
# Hidden elements are dropped unless they hold this much prose (collapsed tab panels).
MIN_HIDDEN_PROSE_CHARS = 200
# The densest block grows to its parent while the parent's other children hold at
# least this share of the block's own prose (articles split into several panels).
WIDEN_SHARE = 0.3

# Removed everywhere, with everything inside them.
DROP_TAGS: list[str] = [
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "video", "audio", "map", "nav", "footer", "aside", "form", "button", "input", "select",
    "textarea", "label", "dialog", "menu",
]
# <header> is dropped too, except when it holds a section heading: some sites wrap
# every section's <h2> in a <header>, and dropping those would lose the headings.
HEADER_TAGS: list[str] = ["header"]

# ARIA roles of page furniture.
DROP_ROLES: set[str] = {
    "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog",
    "menu", "menubar", "toolbar", "tablist",
}

# A block whose class, id or aria-label contains one of these words is page furniture.
DROP_NAME_PARTS: list[str] = [
    "share", "social", "related", "recommend", "newsletter", "subscribe", "signup", "cookie",
    "consent", "gdpr", "breadcrumb", "crumbs", "comment", "advert", "promo", "sidebar", "widget",
    "menu", "toolbar", "rating", "feedback", "helpful", "byline", "disclaimer", "masthead",
    "readalso", "printemail", "popular", "sponsor",
]
# Short names that must match a whole word of the class or id: as substrings they
# would hit innocent names ("ad" is in "heading", "tag" in "stage", "nav" in "canvas").
DROP_NAME_WORDS: set[str] = {
    "ad", "ads", "meta", "tags", "tag", "nav", "navbar", "leftnav", "topmenu", "print", "author", "banner", "toc",
}
# Whole class or id values of page headers and footers. Not the bare words: "card-header"
# and "section-header" hold section headings inside articles.
DROP_NAME_VALUES: set[str] = {
    "header", "footer", "site-header", "site-footer", "page-header", "page-footer", "global-header",
    "global-footer", "masthead", "top-bar", "topbar", "bottom-bar",
}
# Never drop a block by its name when it holds more than this share of the
# content's text: a site that calls its article wrapper "post-meta-wrap" must not lose it.
MAX_NAMED_DROP_SHARE = 0.5

# Blocks whose text starts with one of these (case-insensitive) are boilerplate, when short.
DROP_PHRASES: list[str] = [
    "share now", "share this", "share on", "was this article helpful", "was this page helpful",
    "was this information helpful", "did you find this helpful", "read also", "see also:",
    "you might also like", "you may also like", "recommended for you", "related articles",
    "related pages", "related posts", "related content", "more from", "advertisement",
    "print this page", "email to a friend", "skip to", "follow us", "tags:", "sign up",
    "subscribe to", "popular this week", "cookie", "we use cookies", "this site uses cookies",
]
MAX_PHRASE_BLOCK_CHARS = 300

# Headings that introduce teaser lists: the heading and what follows it up to the
# next heading of the same level go.
TEASER_HEADINGS: list[str] = [
    "you might also like", "you may also like", "recommended for you", "related articles",
    "related pages", "related posts", "read also", "read more", "more on this topic",
    "popular this week", "popular posts", "sources", "references",
]

# Disclaimers: dropped when a short block contains one of these anywhere.
DISCLAIMER_PHRASES: list[str] = [
    "not medical advice", "not a substitute for professional", "not a substitute for medical",
    "does not replace professional", "does not replace advice", "for general information only",
    "not intended to replace", "should not be used as a substitute",
]
MAX_DISCLAIMER_CHARS = 400

# Bylines: their facts are read into the article's metadata first, then the block goes.
BYLINE_PATTERNS: list[str] = [
    r"^(medically |clinically |expert )?reviewed by\b",
    r"^written by\b",
    r"^(original )?date of (publication|last review)\b",
    r"^(page )?(last|date) reviewed\b",
    r"^page last updated\b",
    r"^next review (due|date)\b",
    r"^update date\b",
    r"^(last )?(updated|modified|reviewed)( on)?:?\s+(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    r"^published( on)?:?\s+(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
]
MAX_BYLINE_CHARS = 250

# Breadcrumb trails: "Home » Conditions » Asthma", "Health A-Z › G › Gout".
BREADCRUMB_PATTERN = r"^(home|start|main page)\s*(»|>|›|/|\||:)|[»›].*[»›]|\s>\s.*\s>\s"
MAX_BREADCRUMB_CHARS = 200

# The end of the article: a short copyright or syndication line. It and everything after
# it in the container go (forum teasers, "continued…" links, toolbars) — but only when most
# of the prose comes before it, so an image credit at the top cannot cut the article.
TAIL_PATTERN = r"^(©|\(c\)|copyright\b)|all rights reserved|reprinted with permission"
MAX_TAIL_CHARS = 300
MIN_PROSE_BEFORE_TAIL = 0.5

# Blocks made mostly of link text are menus, tag clouds and teaser lists.
LINK_DENSITY_TAGS: list[str] = ["p", "div", "ul", "ol", "table", "td", "section", "dl"]
MAX_LINK_DENSITY = 0.5

# Text dumps: whole lines that are page furniture left in by the scraper.
TEXT_DROP_LINES: list[str] = [
    r"^skip to\b",
    r"^(main )?menu$",
    r"^(home|start)\s*(>|›|»|/|\|)",          # breadcrumbs
    r"^share( this( page| article)?)?\s*[:|]",
    r"^print$",
    r"^(©|\(c\)|copyright\b)",
    r"^related( pages| articles| posts)?\s*:",
    r"^was this (page|article) helpful",
    r"^back to top$",
]

# The end of an article on a scraped page (``indexer.tails``): short lines that close it.
# Once one stands after most of the page's prose, it and everything after it go, unless the
# article clearly goes on (a heading and a paragraph, or two paragraphs, with no teaser card).
END_OF_ARTICLE_LINES: list[str] = [
    # Rating and feedback widgets.
    r"^(was|is|were) (this|the) (page|article|post|information|content|answer|guide)\b.{0,25}\b(helpful|useful)",
    r"^(did|do|does) (you|this) .{0,40}\b(helpful|useful|answer your question)",
    r"^how (helpful|useful) (was|is|did|were)\b",
    r"^(how would you )?rate (this|it|the|our)\b",
    r"^(was this )?(helpful|useful)\s*\??$",
    r"^(give|leave|send) (us )?(your |some )?feedback\b",
    # Openers of teaser lists and other reading.
    r"^(you (might|may|will) (also )?(like|enjoy|be interested)|recommended( for you| reading| articles| stories)?\b"
    r"|related( articles| pages| posts| content| reading| stories| topics| links)?\s*:?$|read (next|more|this next)\b"
    r"|keep reading|up next|next (article|up|story|read)\b|more (in|from|articles|stories|like this|to read)\b"
    r"|also on\b|trending( now| today| articles)?\s*:?$|popular( now| this week| today| articles| posts| stories)\b"
    r"|most (read|popular|viewed)\b|latest (articles|news|posts|stories)\b|further reading|more to explore"
    r"|explore more|other (articles|stories|readers)\b|in this (series|collection)\s*:?$)",
    # Comment boxes and newsletter sign-ups.
    r"^\d+ comments?$|^comments?( \(\d+\))?\s*:?$|^(leave|post|add|write) a (comment|reply|review)\b",
    r"^(sign up|subscribe)\b|\bnewsletter\b|^get (our|the latest|.{0,30}\bin your inbox)",
]
MAX_END_LINE_CHARS = 80
# Lines of a teaser card (a bare date is recognised by the date parser as well).
TEASER_CARD_LINES: list[str] = [
    r"\b\d{1,3}\s*(min|mins|minute|minutes)(\s+read|\s+to read)?\s*$",        # "4 min read", "Neurology · 3 min read"
    r"^\d+\s+(second|minute|hour|day|week|month|year)s?\s+ago$",             # "2 days ago"
    r"^by\s+(?-i:(dr\.?\s+)?[A-Z][\w'’-]+(\s+[A-Z][\w'’.-]+){0,3})\s*$",       # "By Marco Ellison"
    r"\(\d[\d,]*\s+(ratings?|votes?|reviews?)\)|^\d+ of \d+ (people|readers|users) found",
    r"^[★☆✩✪⭐\s]+$|^\d(\.\d)?\s*(/\s*5|out of 5|stars?)\b|^[👍👎\s]+$",
]
MAX_CARD_LINE_CHARS = 120
MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january",
               "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"]
# Unfilled template placeholders: {{ x }}, {% x %}, [[X]], %%X%%, ${x}, <%= x %>.
PLACEHOLDER_PATTERN = r"\{\{.*?\}\}|\{%.*?%\}|\[\[[^\]]{1,60}\]\]|%%[A-Za-z0-9_.]+%%|\$\{[\w.]+\}|<%.*?%>"
MAX_PLACEHOLDER_RESIDUE = 20  # characters of other text a placeholder line may hold ("min read")
MIN_PROSE_LINE_CHARS = 80
# The site's own disclaimer after an article: a paragraph that does not continue the article.
TAIL_DISCLAIMER_PATTERN = (r"medical advice|substitute for|replace(ment)? (for )?(the )?(advice|a visit|professional|your)"
                           r"|informational purposes|(for|general) (information|education)(al)? (only|purposes)"
                           r"|general (health )?(information|education)|not (intended|meant) (as|to)|not responsible")  # a shorter line is a label, a title or a caption, not a paragraph

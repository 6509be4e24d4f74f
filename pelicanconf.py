"""Settings of the demo site (this repository's root), read by Pelican and by `floor`.

A site made by `floor init` gets the same settings, with THEME pointing at the
installed kit instead of this repository's folder.
"""

AUTHOR = "Robin Ashdown"
SITENAME = "From the Floor"
SITEURL = ""

PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["pelican.plugins.from_the_floor"]  # one entry: posts, the reader's site, retirement

ARTICLE_URL = "floor/{slug}/"
ARTICLE_SAVE_AS = "floor/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
DIRECT_TEMPLATES = ["index", "tags", "archives"]
CATEGORY_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = None
DEFAULT_DATE_FORMAT = "%-d %B %Y"

FEED_DOMAIN = SITEURL
# Local builds have no SITEURL; publishconf.py sets it, so the warning is noise here.
LOG_FILTER = [(30, "Feeds generated without SITEURL or FEED_DOMAIN set properly may not be valid")]
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
RSS_FEED_SUMMARY_ONLY = False  # every feed entry carries the whole Q&A
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# Rebuilds reuse Pelican's content cache; md5 survives a fresh git checkout.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
CACHE_PATH = ".cache"

# From the Floor (the README lists every FLOOR_ setting)
FLOOR_PUBLISH_WEEKDAY = "monday"
FLOOR_PUBLISH_TIME = "09:00"
FLOOR_QUESTIONS_PER_POST = 1
FLOOR_SKIP_DATES = ["2026-12-28"]
FLOOR_CATCH_UP = "one"
FLOOR_TITLE = "{question}"  # each post's title is its question; the page shows "<SITENAME> #N" above it

# Retirement (docs/retirement.md): when every question is done, the column ends gracefully
FLOOR_RETIRE_MODE = "archive"  # "archive" (the site stays, with a notice) or "redirect" (to FLOOR_RETIRE_TO)
FLOOR_RETIRE_TO = None  # the new home, e.g. "https://example.org/"; needed for "redirect"
FLOOR_AUTO_RETIRE = True  # the weekly job retires the column once nothing is left ...
FLOOR_RETIRE_GRACE_WEEKS = 2  # ... this many weeks after the last post
FLOOR_FAREWELL = None  # the farewell post's text (Markdown); None writes one from the column's numbers
FLOOR_RETIRE_ROBOTS = ""  # e.g. "noindex" asks search engines to drop the archived pages

# The reader's site (docs/reader-site.md lists every setting)
FLOOR_ASK_CHANNEL = "mailto"  # "mailto", "form", "github" or "none"
FLOOR_ASK_EMAIL = "questions@example.org"
FLOOR_COMMENTS = "none"  # "giscus", "isso" or "none"; close one post with `comments: closed`
FLOOR_COMMENTS_OPEN = True  # False closes comments on every post
FLOOR_SHARE = ["email", "bluesky", "linkedin"]
FLOOR_SEARCH = True  # Pagefind indexes output/ after every build

# The column's public key: readers' contacts are stored sealed to it (floor keys).
# The demo's private key was thrown away on purpose: its sample contacts show what
# a public column repository holds, and a build says the guard could not open them.
FLOOR_AGE_RECIPIENT = "age1drmv9rhylgcs74rc40cjaazlq7z4anpwn0rkfmm7q5gcnera4uksn3wu2k"

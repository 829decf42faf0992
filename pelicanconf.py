"""Development settings for the SysAdvent site (publishconf.py builds on these)."""

import os

SITENAME = "SysAdvent"
SITESUBTITLE = "One article a day, 1 to 25 December, for systems administrators"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"

# The project's plugins are the package `plugins/` (plugins.advent, …), found
# from the project's root. Setting PLUGINS turns off namespace discovery: list
# pip-installed plugins too.
PLUGIN_PATHS = [os.path.dirname(os.path.abspath(__file__))]
PLUGINS = [
    "plugins.gfm",
    "plugins.advent",
    "plugins.sanitize",
    "pelican.plugins.sitemap",
    "plugins.codecheck",
    "plugins.contentrules",
    "plugins.linkcheck",
    "plugins.feeds",
    "plugins.sharing",
    "plugins.aliases",
    "plugins.attachments",
    "plugins.reading",
]

# Every template escapes what it prints; only HTML the sanitize plugin produced
# (article and page bodies) is marked safe. Pelican's defaults kept alongside.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}

# The advent plugin: last door of a season, people registry (under PATH),
# and the day the site is built "as of" (None: today; `invoke build --today`).
ADVENT_LAST_DAY = 25
ADVENT_PEOPLE = "people.toml"
ADVENT_TODAY = None

# Future articles are filtered by the advent plugin (so --today can move
# "now"); Pelican must not turn them into drafts, and drafts are never written.
WITH_FUTURE_DATES = True
# No translations: Pelican would make an article in another language a
# "translation" of any article that shares its slug (in any season), and
# write it outside the advent model's schedule.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
DRAFT_URL = DRAFT_SAVE_AS = ""
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = ""

ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages"]
PAGE_PATHS = ["pages"]
# Nothing under content/ is copied as such: the attachments plugin publishes
# the files that published articles and pages reference from their own folder
# (raster images only), and Pelican's StaticGenerator copies the theme's files.
STATIC_PATHS = []
EXTRA_PATH_METADATA = {}
IGNORE_FILES = [".*", "*.toml"]

# The original site's URL scheme: /2017/12/day-15-a-devops-christmas-carol.html
ARTICLE_URL = "{date:%Y}/12/day-{day}-{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# `Lang:` says what language a text is in, never where it is written
# (Pelican's default for another language is {slug}-{lang}.html at the root).
ARTICLE_LANG_URL, ARTICLE_LANG_SAVE_AS = ARTICLE_URL, ARTICLE_SAVE_AS
PAGE_LANG_URL, PAGE_LANG_SAVE_AS = PAGE_URL, PAGE_SAVE_AS
SEASON_URL = "{year}/"
SEASON_SAVE_AS = "{year}/index.html"
PEOPLE_URL = "people/"
PEOPLE_SAVE_AS = "people/index.html"
PERSON_URL = "people/{key}/"
PERSON_SAVE_AS = "people/{key}/index.html"
# "C++", "C#" and "C" are three tags, not one page at tags/c/ (Pelican's
# slug drops the signs): a sign after a word is spelt out first, then
# Pelican's own substitutions. plugins/advent/rules.py slugs tags the same
# way (TAG_SLUG_SUBSTITUTIONS; a test keeps the two equal).
TAG_REGEX_SUBSTITUTIONS = [
    (r"(?<=[\w+])\+", "plus"),
    (r"(?<=\w)#", "sharp"),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_URL = "archive/"
ARCHIVES_SAVE_AS = "archive/index.html"

# People pages replace Pelican's author pages; there are no categories, and
# seasons replace the date archives.
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "archives", "404"]
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "sysadvent"

# Pagination in /page/N/ folders: Pelican's default names collide (tag t1 page 2
# would be t12.html). Only tag lists are paginated; the home page is a calendar.
DEFAULT_PAGINATION = False
PAGINATED_TEMPLATES = {"tag": 20}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# The feeds plugin owns feeds; Pelican's built-in ones are off.
FEED_ALL_ATOM = FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None

# Markdown: GitHub-flavoured, as authors preview it (plugins.gfm reads
# `.md` files). Only `.md` is content: Pelican's other readers are off.
READERS = {"html": None, "htm": None, "rst": None, "markdown": None, "mdown": None,
           "mkd": None}  # fmt: skip

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.7, "indexes": 0.5, "pages": 0.3},
    "changefreqs": {"articles": "yearly", "indexes": "daily", "pages": "monthly"},
}

RELATIVE_URLS = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# The codecheck plugin: code-block errors are printed during development
# (invoke serve keeps previewing) and fail the build in publishconf.py.
CODECHECK_FAIL_ON_ERROR = False

# The linkcheck plugin: internal links are checked after production builds
# (publishconf.py turns this on); `invoke linkcheck` checks on demand.
LINKCHECK_INTERNAL_ON_BUILD = False

# --- readers' site: search page, robots.txt, sitemap ---
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "search", "robots"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
ROBOTS_SAVE_AS = "robots.txt"
# Season and people pages are in the sitemap (it lists every page written);
# pages nobody should land on from a search engine are not.
SITEMAP["exclude"] = [r"^404\.html$", r"^search/", r"^robots\.txt$"]

# --- readers' site: the calendar, reading aids, the Write page ---
# The first season, as About, Archive and home say ("every year since").
ADVENT_SINCE = 2008
# The call for papers, each year (MM-DD, in the site's time zone), shown on
# the Write page with what is open now.
ADVENT_CFP_OPENS = "10-01"
ADVENT_CFP_CLOSES = "11-15"
# Where authors contribute (the Write page links both; "" leaves a link out).
REPOSITORY_URL = os.environ.get(
    "SYSADVENT_REPOSITORY_URL", "https://github.com/sysadvent/sysadvent"
)
CONTRIBUTING_URL = REPOSITORY_URL and REPOSITORY_URL + "/blob/main/CONTRIBUTING.md"
# The reading plugin: articles with READING_TOC_MIN_SECTIONS sections or
# more get a table of contents; SHARE_LINKS and SHARE_DISCUSS_URL (None: no
# link) under each article. Defaults in plugins/reading/__init__.py.
SHARE_DISCUSS_URL = None
# Share links open other sites' compose pages with the article filled in:
# `invoke linkcheck --external` never requests them (one per article).
LINKCHECK_SKIP = [r"^https://bsky\.app/intent/", r"^https://mastodonshare\.com/"]

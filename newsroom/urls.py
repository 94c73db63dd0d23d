from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from exchange import api
from exchange.sitemaps import SITEMAPS
from newsroom import accounts, inbox, views
from stories.views import home

# Language-neutral: one address each (the API, feeds, the sitemap, the admin).
urlpatterns = [
    path("api/", api.urls),
    path("feeds/", include("exchange.urls_feeds")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
]

# Reader and desk pages: English at the root, Japanese under /ja/ (newsroom/i18n.py).
urlpatterns += i18n_patterns(
    path("", home.home, name="home"),
    path("", include("people.urls")),
    path("", include("stories.urls")),
    path("", include("exchange.urls")),
    # Sign-in, sign-out and the password change only: there is no self-service password
    # reset (it would need outgoing mail); an editor or administrator resets a password.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", accounts.password_change, name="password_change"),
    path("desk/inbox/", inbox.inbox, name="inbox"),
    path("desk/inbox/read/", inbox.inbox_mark_read, name="inbox-mark-read"),
    path("desk/inbox/email/", inbox.inbox_email, name="inbox-email"),
    prefix_default_language=False,
)

# A database that cannot be reached answers 503 with Retry-After (newsroom/errors.py).
handler500 = "newsroom.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import path
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, access
from renkei.portal import about_views, local_government_views, relation_views, views
from renkei.portal.feeds import NewsFeed
from renkei.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.news_list, name="news_list"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("events/prefectures/<code:prefecture_code>.ics", views.prefecture_events_ics, name="prefecture_events_ics"),
    path("events/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("news/feed.atom", access(PUBLIC)(require_safe(NewsFeed())), name="news_feed"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", access(PUBLIC)(require_safe(sitemap_view)), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("agreements/", views.agreements, name="agreements"),
    path("relations/", relation_views.relation_list, name="relations"),
    path("stats/", views.stats, name="stats"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("search/", views.search, name="search"),
    path("media/photos/<path:name>", views.photo_file, name="photo"),
    path("join/", views.join, name="join"),
    path("privacy/", about_views.privacy, name="privacy"),
    path("terms/", about_views.terms, name="terms"),
    path("accessibility/", about_views.accessibility_policy, name="accessibility"),
    path("accessibility/results/", about_views.accessibility_results, name="accessibility_results"),
    path("sitemap/", about_views.sitemap, name="sitemap_page"),
    path("favicon.ico", about_views.favicon, name="favicon"),
    path("local-governments/", local_government_views.index, name="local_governments"),
    path("local-governments/prefectures/<code:prefecture_code>/", local_government_views.prefecture, name="prefecture"),
    path("local-governments/<code:code>/", local_government_views.detail, name="local_government"),
]

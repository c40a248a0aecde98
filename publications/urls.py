from django.urls import path

from core.http import conditional
from publications import exports, feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("feed.atom", conditional(feeds.feed_validators)(feeds.CatalogueFeed()), name="feed"),
    path(
        "forum/<slug:forum>/feed.atom",
        conditional(feeds.feed_validators)(feeds.ForumCatalogueFeed()),
        name="forum_feed",
    ),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/pdf/", views.download, name="download"),
    path("<slug:slug>/cite.bib", exports.bibtex, name="bibtex"),
    path("<slug:slug>/cite.ris", exports.ris, name="ris"),
    path("<slug:slug>/cite.json", exports.csl_json, name="csl_json"),
]

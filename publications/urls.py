from django.urls import path

from core.http import conditional
from publications import exports, feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("feed.atom", conditional(feeds.feed_validators)(feeds.CatalogueFeed()), name="feed"),
    path("export.bib", exports.search_export, {"format_name": "bibtex"}, name="export_bibtex"),
    path("export.ris", exports.search_export, {"format_name": "ris"}, name="export_ris"),
    path("export.json", exports.search_export, {"format_name": "csl-json"}, name="export_csl_json"),
    path("export.csv", exports.search_export, {"format_name": "csv"}, name="export_csv"),
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

"""The plant staff's pages, at the root. Paths and form field names are SPEC's "Web pages" contract."""

from django.urls import path

from .views import account, home, matches, requests, stock

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", account.login, name="login"),
    path("logout/", account.logout, name="logout"),
    path("plant/", account.plant, name="plant"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request-new"),
    path("requests/new/lookup/", requests.request_new_lookup, name="request-lookup"),
    path("requests/<int:part_request_id>/", requests.request_detail, name="request"),
    path("requests/<int:part_request_id>/cancel/", requests.request_cancel, name="request-cancel"),
    path("requests/<int:part_request_id>/rematch/", requests.request_rematch, name="request-rematch"),
    path("matches/<int:match_id>/", matches.match_detail, name="match"),
    path("matches/<int:match_id>/accept/", matches.match_accept, name="match-accept"),
    path("matches/<int:match_id>/decline/", matches.match_decline, name="match-decline"),
    path("matches/<int:match_id>/cancel/", matches.match_cancel, name="match-cancel"),
    path("matches/<int:match_id>/fulfil/", matches.match_fulfil, name="match-fulfil"),
    path("stock/", stock.stock_list, name="stock"),
    path("stock/new/", stock.stock_new, name="stock-new"),
    path("stock/import/", stock.stock_import, name="stock-import"),
    path("stock/import/confirm/", stock.stock_import_confirm, name="stock-import-confirm"),
    path("stock/labels/", stock.stock_labels, name="stock-labels"),
    path("stock/<int:pk>/", stock.stock_detail, name="stock-item"),
]

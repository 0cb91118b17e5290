"""The plant staff's pages, at the root. Paths and form field names are SPEC's "Web pages" contract."""

from django.urls import path

from .views import account, board, capabilities, clearances, home, matches, notifications, offers, requests, stock

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
    path("requests/<int:part_request_id>/clearance/", requests.request_clearance, name="request-clearance"),
    path("matches/<int:match_id>/", matches.match_detail, name="match"),
    path("matches/<int:match_id>/accept/", matches.match_accept, name="match-accept"),
    path("matches/<int:match_id>/decline/", matches.match_decline, name="match-decline"),
    path("matches/<int:match_id>/cancel/", matches.match_cancel, name="match-cancel"),
    path("matches/<int:match_id>/fulfil/", matches.match_fulfil, name="match-fulfil"),
    path("matches/<int:match_id>/quote/", matches.match_quote, name="match-quote"),
    path("matches/<int:match_id>/ship/", matches.match_ship, name="match-ship"),
    path("stock/", stock.stock_list, name="stock"),
    path("stock/new/", stock.stock_new, name="stock-new"),
    path("stock/import/", stock.stock_import, name="stock-import"),
    path("stock/import/confirm/", stock.stock_import_confirm, name="stock-import-confirm"),
    path("stock/labels/", stock.stock_labels, name="stock-labels"),
    path("stock/<int:pk>/", stock.stock_detail, name="stock-item"),
    path("board/", board.board, name="board"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications-read-all"),
    path("notifications/<int:notification_id>/open/", notifications.notification_open, name="notification-open"),
    path("requests/<int:pk>/offer/", offers.offer, name="offer"),
    path("capabilities/", capabilities.capability_list, name="capabilities"),
    path("capabilities/new/", capabilities.capability_new, name="capability_new"),
    path("capabilities/<int:pk>/", capabilities.capability_detail, name="capability"),
    path("verify/<str:serial>/", clearances.verify, name="verify"),
    path("transparency/", clearances.transparency_page, name="transparency"),
    path("transparency/<slug:table>.csv", clearances.transparency_csv, name="transparency-csv"),
    path("capabilities/<int:pk>/delete/", capabilities.capability_delete_confirm, name="capability_delete"),
]

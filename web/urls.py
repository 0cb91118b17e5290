"""The plant staff's pages, at the root. Paths and form field names are SPEC's "Web pages" contract."""

from django.urls import path

from .views import account, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", account.login, name="login"),
    path("logout/", account.logout, name="logout"),
    path("plant/", account.plant, name="plant"),
]

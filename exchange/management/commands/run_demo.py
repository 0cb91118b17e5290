"""Django's development server for the demo, with its logins and the pages' addresses printed last."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .load_demo import demo_logins

PAGES = [
    (gettext_lazy("Plant staff"), "/"),
    (gettext_lazy("Administrators"), "/admin/"),
    (gettext_lazy("API and its documentation"), "/api/docs/"),
]


class Command(RunserverCommand):
    help = _(
        "Serve the demo as runserver does, then print its logins and the addresses of its pages under the "
        "server's own lines, where the eye lands."
    )

    # Called once the server listens, after the banner, on every start and every reload.
    def on_bind(self, server_port):
        super().on_bind(server_port)
        host = f"[{self.addr}]" if self._raw_ipv6 else ("127.0.0.1" if self.addr in {"0", "0.0.0.0"} else self.addr)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Logins (username / password):")))
        for line in demo_logins():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(_("Pages:")))
        for name, path in PAGES:
            self.stdout.write(f"  {name}: {self.protocol}://{host}:{server_port}{path}")

import io

from exchange.management.commands.run_demo import Command


def served_output(addr):
    command = Command(stdout=io.StringIO())
    command.addr, command._raw_ipv6, command.protocol = addr, False, "http"

    command.on_bind("8000")

    return command.stdout._out.getvalue()


def test_the_logins_and_the_pages_come_last_after_the_servers_banner(settings):
    settings.LANGUAGE_CODE = "es"

    output = served_output("127.0.0.1")

    banner, ours = output.split("CONTROL-C.", 1)
    assert "Starting development server at http://127.0.0.1:8000/" in banner
    assert "planta / planta-demo-2026" in ours.split("Páginas:")[0]
    assert ours.rstrip().splitlines()[-3:] == [
        "  Personal de planta: http://127.0.0.1:8000/",
        "  Administradores: http://127.0.0.1:8000/admin/",
        "  API y su documentación: http://127.0.0.1:8000/api/docs/",
    ]


def test_a_server_listening_on_every_interface_is_shown_at_the_local_address():
    assert "http://127.0.0.1:8000/admin/" in served_output("0.0.0.0")

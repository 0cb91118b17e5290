"""The HTTP calls of docs/api.md, read from its ```sh blocks as a reader would copy them.

Each `curl` call is followed by a comment starting with the status it answers (`# 201 {...}`),
on its own next line or at the end of the call's line. The prologue's `NAME="Authorization: Token
$(token user password)"` lines say who each header variable signs in as.
"""

import io
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from PIL import Image

API_DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
LOGIN = re.compile(r'^(\w+)="Authorization: Token \$\(token (\S+) (\S+)\)"$')
STATUS = re.compile(r"#\s*(\d{3})\b")


@dataclass
class Call:
    method: str
    path: str
    status: int
    who: str | None = None
    headers: dict = field(default_factory=dict)
    body: str | None = None
    files: dict = field(default_factory=dict)
    form: list = field(default_factory=list)
    line: str = ""

    def __str__(self):
        return f"{self.method} {self.path} (docs/api.md: {self.line.strip()[:80]})"


def shell_blocks(text: str) -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)]


def logins(text: str) -> dict[str, tuple[str, str]]:
    """Header variable → (username, password)."""
    found = {}
    for lines in shell_blocks(text):
        for line in lines:
            if match := LOGIN.match(line.strip()):
                found[match[1]] = (match[2], match[3])
    return found


def commands(lines: list[str]):
    """Each curl command as one string (continuations and quoted bodies joined), with what follows it."""
    index = 0
    while index < len(lines):
        if not lines[index].startswith("curl "):
            index += 1
            continue
        command = lines[index]
        index += 1
        while command.endswith("\\") or not balanced(command):
            command = command.removesuffix("\\") + "\n" + lines[index]
            index += 1
        following = lines[index] if index < len(lines) else ""
        yield command, following


def balanced(command: str) -> bool:
    try:
        shlex.split(command, comments=True)
    except ValueError:
        return False
    return True


def parse_call(command: str, following: str, variables: dict) -> Call:
    inline = command.rsplit("\n", 1)[-1].split("#", 1)
    status_text = "#" + inline[1] if len(inline) == 2 and "'" not in inline[1] else following
    status = STATUS.match(status_text.strip())
    assert status, f"docs/api.md: no status comment after {command!r}"
    words = shlex.split(command, comments=True)[1:]
    call = Call(method="GET", path="", status=int(status[1]), line=command.splitlines()[0])
    words = iter(words)
    for word in words:
        if word == "-s":
            continue
        if word == "-X":
            call.method = next(words)
        elif word == "-H":
            header = next(words)
            if header.startswith("$"):
                name = header[1:]
                if name in variables:
                    call.who = name
                    continue
                header = {"JSON": "Content-Type: application/json"}[name]
            key, value = header.split(": ", 1)
            call.headers[key] = value
        elif word == "-d":
            call.body = next(words)
            call.method = call.method if call.method != "GET" else "POST"
        elif word == "-F":
            key, value = next(words).split("=", 1)
            if value.startswith("@"):
                call.files.setdefault(key, []).append(value[1:])
            else:
                call.form.append((key, value))
            call.method = call.method if call.method != "GET" else "POST"
        else:
            assert word.startswith("$API/"), f"docs/api.md: unexpected word {word!r} in {command!r}"
            call.path = "/api/" + word.removeprefix("$API/")
    return call


def api_calls(text: str | None = None) -> tuple[dict, list[Call]]:
    text = API_DOC.read_text(encoding="utf-8") if text is None else text
    variables = logins(text)
    calls = [
        parse_call(command, following, variables)
        for lines in shell_blocks(text)
        for command, following in commands(lines)
        if "$API/auth/token/" not in command
    ]
    return variables, calls


def jpeg(name: str) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def send(client, call: Call, tokens: dict):
    extra = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in call.headers.items()}
    extra.pop("HTTP_CONTENT_TYPE", None)
    if call.who:
        extra["HTTP_AUTHORIZATION"] = f"Token {tokens[call.who]}"
    if call.files or call.form:
        data = {}
        for key, value in call.form:
            data.setdefault(key, []).append(value)
        for key, names in call.files.items():
            data[key] = [jpeg(name) for name in names]
        return client.post(call.path, data, format="multipart", **extra)
    content_type = call.headers.get("Content-Type", "application/octet-stream")
    return client.generic(call.method, call.path, call.body or "", content_type=content_type, **extra)


def sign_in(client, variables: dict) -> dict:
    tokens = {}
    for name, (username, password) in variables.items():
        response = client.post("/api/auth/token/", {"username": username, "password": password}, format="json")
        assert response.status_code == 200, f"docs/api.md: {username} / {password} does not sign in"
        tokens[name] = response.json()["token"]
    return tokens


def run_journeys(client) -> list[tuple[Call, int, str]]:
    """Every call in document order; (call, status answered, body) for each that answered otherwise."""
    variables, calls = api_calls()
    tokens = sign_in(client, variables)
    wrong = []
    for call in calls:
        response = send(client, call, tokens)
        if response.status_code != call.status:
            wrong.append((call, response.status_code, response.content.decode()[:300]))
    return wrong

"""scripts/serve, the one command that runs docgen's whole service on one machine, and the compose web service.

The end-to-end test starts the real command (its set-up step skipped) on a free port with a temporary data
folder and a private Redis it starts itself, logs in with the printed credentials through the login page, gets
an API token, submits a plaque through the API and sees it finish, then stops the command with SIGINT and
checks that no process it started is left."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve"
pytestmark = pytest.mark.skipif(not (ROOT / ".venv/bin/python").exists(), reason="needs the project's .venv")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Served:
    """scripts/serve running in a subprocess; its output collected line by line."""

    def __init__(self, data_dir: Path, port: int, redis_port: int):
        self.port, self.lines = port, []
        env = dict(os.environ, DOCGEN_SKIP_SETUP="1", DOCGEN_DATA_DIR=str(data_dir),
                   REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", DOCGEN_ALLOWED_HOSTS="localhost,127.0.0.1")
        for name in ("DATABASE_URL", "DOCGEN_STORE_URL", "DOCGEN_ARTIFACTS_URL", "DOCGEN_SECRET_KEY"):
            env.pop(name, None)
        self.proc = subprocess.Popen([str(SERVE), "--port", str(port), "--worker-processes", "1",
                                      "--web-processes", "1", "--threads", "4", "--stop-timeout", "10"],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            assert self.proc.poll() is None, f"scripts/serve exited:\n{self.output()}"
            time.sleep(0.2)
        raise AssertionError(f"no {pattern!r} within {timeout} s:\n{self.output()}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def served(tmp_path):
    service = Served(tmp_path / "data", free_port(), free_port())
    yield service
    if service.proc.poll() is None:
        service.proc.send_signal(signal.SIGTERM)
        try:
            service.proc.wait(60)
        except subprocess.TimeoutExpired:
            service.proc.kill()


def _request(opener, url: str, data: dict | None = None, headers: dict | None = None, form: bool = False):
    body = None
    headers = dict(headers or {})
    if data is not None:
        if form:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(data, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read(), response.geturl()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), url


def test_scripts_serve_runs_the_whole_service_and_stops_cleanly(served):
    served.wait_for(r"docgen 已就绪：http://127\.0\.0\.1:\d+/", timeout=240)
    user, password = served.wait_for(r"首次登录：用户名 (\S+)\s+密码 (\S+)", timeout=5).groups()
    assert "Redis：已在" in served.output()  # nothing answered on REDIS_URL: it started its own

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar := http.cookiejar.CookieJar()))
    status, body, _ = _request(opener, served.url("/health"))
    health = json.loads(body)
    assert status == 200 and health["details"]["workers"]["status"] == "up", health
    assert health["details"]["database"]["vendor"] == "sqlite"

    # the login page, with its CSRF token, and the printed credentials
    status, page, _ = _request(opener, served.url("/login/"))
    assert status == 200
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, _, landed = _request(opener, served.url("/login/"), {"csrfmiddlewaretoken": csrf, "username": user,
                                                                  "password": password},
                                 headers={"Referer": served.url("/login/")}, form=True)
    assert status == 200 and "/login/" not in landed, landed
    assert any(c.name == "sessionid" for c in jar)
    # the static files are served too (no collectstatic, DEBUG off)
    assert _request(opener, served.url("/static/admin/css/base.css"))[0] == 200

    # a token through the API (the session, with Django's CSRF check), then the API as a client uses it
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    status, body, _ = _request(opener, served.url("/api/tokens"), {"name": "test_serve"},
                               headers={"X-CSRFToken": csrf, "Referer": served.url("/")})
    assert status == 201, body
    token = json.loads(body)["token"]
    client = urllib.request.build_opener()
    auth = {"Authorization": f"Bearer {token}"}
    record = yaml.safe_load((ROOT / "samples/plaques/jiaozuo-gaoxin.yaml").read_text(encoding="utf-8"))
    status, body, _ = _request(client, served.url("/api/jobs"), {"kind": "plaque", "name": "高新区", "record": record},
                               headers=auth)
    assert status == 201, body.decode()
    job_id = json.loads(body)["id"]
    deadline = time.monotonic() + 120
    while True:
        status, body, _ = _request(client, served.url(f"/api/jobs/{job_id}"), headers=auth)
        job = json.loads(body)
        assert status == 200, job
        if job["state"] in ("succeeded", "partly failed", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert job["state"] == "succeeded", job
    assert any(a["filename"].endswith(".pdf") for a in job["artifacts"]), job["artifacts"]

    # Ctrl-C: everything it started goes away
    started = descendants(served.proc.pid)
    assert len(started) >= 4, started  # Redis, the worker and its pool process, gunicorn and its process
    served.proc.send_signal(signal.SIGINT)
    assert served.proc.wait(60) == 0, served.output()
    time.sleep(0.5)
    left = [pid for pid in started if alive(pid)]
    assert not left, f"processes left after Ctrl-C: {left}\n{served.output()}"
    assert "已停止" in served.output()
    data = Path(re.search(r"数据文件夹 (\S+)", served.output()).group(1))
    assert (data / "redis" / "appendonlydir").is_dir()  # append-only persistence in the data folder
    assert (data / "docgen.sqlite3").is_file()


def test_serve_refuses_a_redis_it_cannot_start(tmp_path):
    """A REDIS_URL on another machine that does not answer: said plainly, exit status 2, nothing started."""
    env = dict(os.environ, DOCGEN_SKIP_SETUP="1", DOCGEN_DATA_DIR=str(tmp_path), REDIS_URL="redis://redis.invalid:6379/0")
    env.pop("DATABASE_URL", None)
    done = subprocess.run([str(SERVE), "--port", str(free_port())], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "不在本机" in done.stdout and "已停止" in done.stdout


# ---------------------------------------------------------------------------------------------- compose
def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_the_web_service():
    services = _compose()["services"]
    web, worker = services["web"], services["worker"]
    assert web["build"] == worker["build"]  # the same image
    command = " ".join(map(str, web["command"]))
    assert "web.serve" in command and "--web-only" in command  # migrations, then the WSGI server (gunicorn)
    assert "0.0.0.0" in command and "8000" in command
    env = web["environment"]
    assert re.match(r"postgres(ql)?://docgen:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432/docgen$", env["DATABASE_URL"])
    assert re.match(r"redis://:\$\{REDIS_PASSWORD[^}]*\}@redis:6379/\d$", env["REDIS_URL"])
    assert env["DOCGEN_STORE_URL"] == worker["environment"]["DOCGEN_STORE_URL"]  # the job state the workers write
    assert env["DOCGEN_ARTIFACTS_URL"] == worker["environment"]["DOCGEN_ARTIFACTS_URL"]
    assert env["DOCGEN_SECRET_KEY"].startswith("${DOCGEN_SECRET_KEY:?")  # from the environment, required
    assert "DOCGEN_ALLOWED_HOSTS" in env
    assert any(str(p).endswith(":8000:8000") or str(p) == "8000:8000" for p in web["ports"])
    assert {"redis", "postgres"} <= set(web["depends_on"])
    assert "container_name" not in web


def test_compose_keeps_the_rest_private():
    services = _compose()["services"]
    assert "ports" not in services["redis"] and "--requirepass" in services["redis"]["command"]
    assert "ports" not in services["postgres"]
    assert "--basic-auth=" in " ".join(services["flower"]["command"])
    assert all(str(p).startswith("127.0.0.1:") for p in services["flower"]["ports"])

"""docgen's whole service on one machine, in one command (``scripts/serve``, or ``python -m web.serve``).

With the embedded defaults — SQLite and the files in the data folder (``DOCGEN_DATA_DIR``, default
``~/.local/share/docgen``), a Redis on this machine — it

1. migrates the database and, when no user exists yet, creates the administrator ``admin`` with a generated
   password that is printed once (the database keeps only its hash);
2. uses the Redis that answers on ``REDIS_URL`` (default ``redis://127.0.0.1:6379/0``) or, when none does and
   the address is on this machine, starts ``redis-server`` there itself, with append-only persistence in
   ``<data folder>/redis``;
3. starts one Celery worker (``celery -A workers.app worker -Q docgen``) at a lower CPU priority (rendering is
   background work; the pages and the API answer first);
4. starts the web server: gunicorn, ``--web-processes`` pre-forked processes of ``--threads`` threads each,
   bound to 127.0.0.1:8000 unless ``--host``/``--port`` say otherwise, serving the pages, the API, the admin and
   the static files;
5. prints the address and how to log in once ``GET /health`` says everything is up.

Ctrl-C (or SIGTERM) stops all of it, in order — the web server, then the worker (a render under way is given
``--stop-timeout`` seconds, else it goes back to the queue), then the Redis it started — and leaves no process
behind. Logs are in ``<data folder>/logs/``.

``--web-only`` is the container's form (``docker-compose.yml``): migrate, then the web server in this process;
Redis and the workers are services of their own.

Why gunicorn: pre-forked processes use every core past the GIL (a view is Python: token lookup, permissions,
JSON, the job store), its gthread workers keep idle keep-alive connections off the threads, it stops gracefully
on SIGTERM and is the usual server in a Linux container. docgen runs on Debian and in Docker only, so
gunicorn's lack of Windows support costs nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
ADMIN = "admin"


class ServeError(RuntimeError):
    """Something the person starting the service must fix; said in Chinese, exit status 2."""


def _say(text: str) -> None:
    print(text, flush=True)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


# ---------------------------------------------------------------------------------------------- the WSGI app
def wsgi_application():
    """docgen's Django application, with its static files (the pages' and the admin's) served from the apps'
    folders: one server, nothing to collect first, the same with DEBUG off."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    application = StaticFilesHandler(get_wsgi_application())
    # The kind registry is filled on first use, and not safely from two threads at once (a second thread can
    # see it empty: 422 "未知的文种"): fill it here, before any request, which also spares the first request
    # the imports.
    from docgen.kinds import kinds

    kinds()
    return application


def __getattr__(name: str):
    """``web.serve:application`` for any WSGI server, built when it is first asked for."""
    if name == "application":
        app = wsgi_application()
        globals()["application"] = app
        return app
    raise AttributeError(name)


def run_web_server(host: str, port: int, processes: int, threads: int, access_log: str = "-") -> None:
    """gunicorn in this process (it forks its own processes); returns when it has stopped."""
    from gunicorn.app.base import BaseApplication

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    class DocgenServer(BaseApplication):
        def load_config(self):
            options = {
                "bind": [bind], "workers": processes, "threads": threads, "worker_class": "gthread",
                "keepalive": 5,  # s an idle keep-alive connection is kept (API clients polling every second or so)
                "timeout": 120, "graceful_timeout": 10, "proc_name": "docgen-web",
                "accesslog": access_log, "errorlog": "-", "loglevel": "info",
                "control_socket_disable": True,  # gunicorn ≥ 25.1: no shared control socket in $HOME
                "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
            }
            for key, value in options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)

        def load(self):
            return wsgi_application()

    DocgenServer().run()


# ---------------------------------------------------------------------------------------------- Django steps
def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django

    django.setup()


def migrate() -> None:
    _django()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    connections.close_all()


def first_login(create: bool, username: str = ADMIN) -> str:
    """How to log in the first time. With ``create`` and no user at all, creates the administrator with a
    generated password and says it (only this once)."""
    _django()
    from django.contrib.auth import get_user_model
    from django.db import connections

    User = get_user_model()
    try:
        if User.objects.exists():
            return ("登录：使用已有的账户。新增管理员：" + _manage_command("createsuperuser")
                    + "；重设密码：" + _manage_command("changepassword 用户名"))
        if not create:
            return "还没有任何用户。创建管理员：" + _manage_command("createsuperuser")
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username, email="", password=password)
        return (f"首次登录：用户名 {username}  密码 {password}\n"
                "  （密码只显示这一次，数据库只保存其散列；登录后请在 管理后台 → 用户 中修改）")
    finally:
        connections.close_all()


def _manage_command(command: str) -> str:
    if os.environ.get("DOCGEN_IN_CONTAINER") == "1":
        return f"docker compose exec web python -m web.manage {command}"
    data = os.environ.get("DOCGEN_DATA_DIR", "")
    python = Path(sys.executable)
    prefix = f"DOCGEN_DATA_DIR={data} " if data else ""
    return f"{prefix}{python} {Path(__file__).with_name('manage.py')} {command}"


# ---------------------------------------------------------------------------------------------- children
def _child_setup(parent: int, nice: int):
    """Run in each child before exec: its own session (the terminal's Ctrl-C reaches only this process, which
    then stops the children in order), SIGTERM when this process dies however it dies, and a CPU priority."""

    def setup() -> None:
        os.setsid()
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover (not Linux)
            pass
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)
        if nice:
            os.nice(nice)

    return setup


class Child:
    """One process this command started, in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], log: Path, env: dict, *, stdin: bytes | None = None,
                 nice: int = 0):
        self.name, self.log = name, log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                         preexec_fn=_child_setup(os.getpid(), nice))
        if stdin is not None:
            self.proc.stdin.write(stdin)
            self.proc.stdin.close()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def running(self) -> bool:
        return self.proc.poll() is None

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, sig: int, timeout: float) -> None:
        """``sig`` to the process, then SIGKILL to its whole group after ``timeout``; and whatever of its group
        outlived it (a pool process) is killed too."""
        if self.running():
            try:
                self.proc.send_signal(sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                _say(f"  {self.name} 未在 {timeout:.0f} 秒内退出，强制结束")
                self.signal_group(signal.SIGKILL)
                self.proc.wait(10)
        self.signal_group(signal.SIGKILL)  # leftovers of its process group, if any


# ---------------------------------------------------------------------------------------------- Redis
def _redis_answers(url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping()
        return True
    except redis.AuthenticationError:
        raise ServeError(f"{_redacted(url)} 上的 Redis 拒绝了密码：请在 REDIS_URL 中写对密码（redis://:密码@主机:端口/0）") \
            from None
    except redis.ResponseError as exc:
        raise ServeError(f"{_redacted(url)} 上的 Redis 拒绝了连接（{exc}）：需要密码时写在 REDIS_URL 中") from None
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def start_redis(url: str, folder: Path, log: Path, env: dict) -> Child:
    """redis-server on the host and port of ``url`` (this machine only), append-only persistence in ``folder``;
    the configuration (and a password, if the URL has one) goes in on standard input, never on the command
    line."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    if host not in LOCAL_HOSTS:
        raise ServeError(f"无法连接 Redis（{_redacted(url)}）。它不在本机，本命令无法代为启动：请确认该 Redis 已启动，"
                         "或不设置 REDIS_URL，使用本机的 Redis")
    server = shutil.which("redis-server")
    if server is None:
        raise ServeError("找不到 redis-server：请先运行 scripts/setup（或 apt-get install redis-server）")
    folder.mkdir(parents=True, exist_ok=True)
    config = [f"port {port}", f"bind {'::1' if host == '::1' else '127.0.0.1'}", f'dir "{folder}"',
              "appendonly yes", "appendfsync everysec", "save 900 1", "daemonize no", "protected-mode yes"]
    if parts.password:
        config.append(f'requirepass "{parts.password}"')
    child = Child("Redis", [server, "-"], log, env, stdin=("\n".join(config) + "\n").encode())
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not child.running():
            raise ServeError(f"redis-server 启动失败（端口 {port} 是否已被其他程序占用？）：\n{child.tail()}")
        if _redis_answers(url):
            return child
        time.sleep(0.1)
    child.stop(signal.SIGTERM, 5)
    raise ServeError(f"redis-server 未在 15 秒内应答：\n{child.tail()}")


# ---------------------------------------------------------------------------------------------- health
def _probe_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def health(host: str, port: int, host_header: str, timeout: float = 10) -> tuple[int, dict]:
    conn = http.client.HTTPConnection(_probe_host(host), port, timeout=timeout)
    try:
        conn.request("GET", "/health", headers={"Host": host_header})
        response = conn.getresponse()
        body = response.read()
        try:
            return response.status, json.loads(body)
        except ValueError:
            return response.status, {}
    finally:
        conn.close()


def _allowed_hosts(host: str) -> list[str]:
    """DOCGEN_ALLOWED_HOSTS, or the defaults plus the address the server is bound to."""
    given = os.environ.get("DOCGEN_ALLOWED_HOSTS")
    if given:
        return [h.strip() for h in given.split(",") if h.strip()]
    hosts = ["localhost", "127.0.0.1"]
    if host not in WILDCARD_HOSTS and host not in hosts:
        hosts.append(host)
    return hosts


def _url(host: str, port: int) -> str:
    shown = _probe_host(host) if host in WILDCARD_HOSTS else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


# ---------------------------------------------------------------------------------------------- the service
class Service:
    """Redis (when none answers), one Celery worker and the web server, started and stopped as one."""

    def __init__(self, args: argparse.Namespace, data_dir: Path):
        self.args, self.data_dir = args, data_dir
        self.logs = data_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.children: list[Child] = []
        self.env = dict(os.environ, PYTHONUNBUFFERED="1")

    def start(self) -> None:
        args = self.args
        redis_url = self.env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
        if _redis_answers(redis_url):
            _say(f"Redis：使用 {_redacted(redis_url)} 上已在运行的 Redis")
        else:
            self.children.append(start_redis(redis_url, self.data_dir / "redis", self.logs / "redis.log", self.env))
            _say(f"Redis：已在 {_redacted(redis_url)} 启动（追加写持久化，数据在 {self.data_dir / 'redis'}）")
        port_name = f"docgen-{args.port}"
        self.children.append(Child(
            "工作进程", [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "-Q", "docgen",
                     "--loglevel", "info", "--concurrency", str(args.worker_processes), "-n", f"{port_name}@%h",
                     "--without-gossip", "--without-mingle"],
            self.logs / "worker.log", self.env, nice=args.worker_nice))
        _say(f"工作进程：{args.worker_processes} 个渲染进程（celery -A workers.app worker -Q docgen）")
        self.children.append(Child(
            "网页服务", [sys.executable, "-m", "web.serve", "--web-only", "--no-migrate", "--host", args.host,
                     "--port", str(args.port), "--web-processes", str(args.web_processes),
                     "--threads", str(args.threads), "--access-log", str(self.logs / "access.log")],
            self.logs / "web.log", self.env))
        _say(f"网页服务：gunicorn，{args.web_processes} 个进程 × {args.threads} 个线程，监听 {args.host}:{args.port}")

    def check_children(self) -> None:
        for child in self.children:
            if not child.running():
                raise ServeError(f"{child.name}意外退出（状态 {child.proc.returncode}），日志 {child.log} 最后几行：\n"
                                 f"{child.tail()}")

    def wait_ready(self, timeout: float) -> dict | None:
        """Until GET /health says 200; None if it did not within ``timeout`` (the last answer is kept)."""
        host_header = next((h for h in _allowed_hosts(self.args.host) if h != "*" and not h.startswith(".")),
                           "127.0.0.1")
        deadline, last = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            self.check_children()
            try:
                status, last = health(self.args.host, self.args.port, host_header)
                if status == 200:
                    return None
            except OSError:
                pass
            time.sleep(0.5)
        return last

    def watch(self) -> None:
        while True:
            self.check_children()
            time.sleep(0.5)

    def kill_all(self, *_args) -> None:
        """A second Ctrl-C: everything at once."""
        for child in self.children:
            child.signal_group(signal.SIGKILL)

    def stop(self) -> None:
        """The web server first (no new work), then the worker, then Redis (the worker needs it to finish)."""
        timeouts = {"网页服务": 15.0, "工作进程": float(self.args.stop_timeout), "Redis": 10.0}
        for child in reversed(self.children):
            child.stop(signal.SIGTERM, timeouts.get(child.name, 10.0))
        self.children = []


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def run(args: argparse.Namespace, data_dir: Path) -> int:
    signal.signal(signal.SIGTERM, _interrupt)  # `kill`, systemd, a container runtime: the same as Ctrl-C
    signal.signal(signal.SIGINT, _interrupt)  # even when started with SIGINT ignored (a shell's background job)
    service = Service(args, data_dir)
    status = 0
    try:
        _say(f"docgen：数据文件夹 {data_dir}")
        migrate()
        _say("数据库：已迁移到最新版本")
        login = first_login(create=True, username=args.admin)
        service.start()
        _say("等待各部分就绪（GET /health）…")
        not_up = service.wait_ready(args.ready_timeout)
        url = _url(args.host, args.port)
        if not_up is None:
            _say(f"\ndocgen 已就绪：{url}")
        else:
            down = {k: v for k, v in (not_up.get("details") or {}).items() if v.get("status") != "up"}
            _say(f"\ndocgen 已启动，但 {args.ready_timeout:.0f} 秒内未全部就绪：{url}\n  未就绪："
                 + json.dumps(down, ensure_ascii=False))
        _say(f"  登录页 {url}login/   管理后台 {url}admin/   接口文档 {url}api/docs")
        _say("  " + login)
        _say(f"  日志：{service.logs}/（web.log、access.log、worker.log、redis.log）")
        _say("  按 Ctrl-C 停止全部（网页服务、工作进程，以及本命令启动的 Redis）。")
        service.watch()
    except KeyboardInterrupt:
        _say("\n正在停止…")
    except ServeError as exc:
        _say(f"docgen：{exc}")
        status = 2
    finally:
        signal.signal(signal.SIGINT, service.kill_all)
        signal.signal(signal.SIGTERM, service.kill_all)
        service.stop()
    _say("已停止。")
    return status


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    cpus = _cpus()
    parser = argparse.ArgumentParser(
        prog="scripts/serve", description="在本机启动 docgen 的全部服务：数据库迁移、Redis（若无）、一个工作进程和网页服务。"
                                          "按 Ctrl-C 全部停止。")
    parser.add_argument("--host", default="127.0.0.1",
                        help="监听地址（默认 127.0.0.1，仅本机；0.0.0.0 对外，并请设置 DOCGEN_ALLOWED_HOSTS）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="数据文件夹：SQLite 数据库、密钥、Redis 持久化文件、输出文件、日志"
                             "（默认 DOCGEN_DATA_DIR，或 ~/.local/share/docgen）")
    parser.add_argument("--worker-processes", type=int, default=max(1, cpus - 1),
                        help=f"工作进程的渲染进程数（默认 CPU 核数减一，至少 1：这里为 {max(1, cpus - 1)}）")
    parser.add_argument("--worker-nice", type=int, default=10,
                        help="渲染进程降低的 CPU 优先级（nice，默认 10：网页和接口先应答）")
    parser.add_argument("--web-processes", type=int, default=max(2, min(cpus, 4)),
                        help=f"网页服务的进程数（默认 CPU 核数，2 到 4：这里为 {max(2, min(cpus, 4))}）")
    parser.add_argument("--threads", type=int, default=8, help="每个网页服务进程的线程数（默认 8）")
    parser.add_argument("--admin", default=ADMIN, help="首次启动时创建的管理员用户名（默认 admin）")
    parser.add_argument("--ready-timeout", type=float, default=180, help="等待就绪的秒数（默认 180）")
    parser.add_argument("--stop-timeout", type=float, default=20,
                        help="停止时给正在渲染的任务的秒数，之后强制结束、任务回到队列（默认 20）")
    parser.add_argument("--web-only", action="store_true",
                        help="只运行网页服务（容器中使用：Redis 和工作进程是独立的服务）")
    parser.add_argument("--no-migrate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--access-log", default="-", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("worker_processes", "web_processes", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} 至少为 1")
    if not 0 < args.port < 65536:
        parser.error("--port 应在 1 到 65535 之间")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.data_dir is not None:
        os.environ["DOCGEN_DATA_DIR"] = str(args.data_dir.expanduser().resolve())
    data_dir = Path(os.environ.get("DOCGEN_DATA_DIR") or Path.home() / ".local/share/docgen")
    os.environ["DOCGEN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DOCGEN_ARTIFACTS_URL", str(data_dir / "artifacts"))  # everything in one folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    if not os.environ.get("DOCGEN_ALLOWED_HOSTS") and args.host not in ("127.0.0.1", "localhost"):
        os.environ["DOCGEN_ALLOWED_HOSTS"] = ",".join(_allowed_hosts(args.host))
        if args.host in WILDCARD_HOSTS:
            _say("注意：监听所有地址时，请用 DOCGEN_ALLOWED_HOSTS 写明用户访问本服务所用的主机名或地址")
    data_dir.mkdir(parents=True, exist_ok=True)
    if args.web_only:
        if not args.no_migrate:
            migrate()
            _say("数据库：已迁移到最新版本")
            _say(first_login(create=False))
        run_web_server(args.host, args.port, args.web_processes, args.threads, args.access_log)
        return 0
    try:
        return run(args, data_dir)
    except ServeError as exc:  # pragma: no cover (raised before the service starts)
        _say(f"docgen：{exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())

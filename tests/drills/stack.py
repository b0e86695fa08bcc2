"""The portal as it runs in production, for the outage drills: its own PostgreSQL and Redis,
an SMTP server the drill controls, gunicorn, a Celery worker and beat, each a subprocess in a
process group of its own so that a drill can stop, freeze or kill one part and start it again.

The suite's PostgreSQL and Redis (tests/harness/with_servers.sh) are left alone: a drill that
restarts its database or stops its Redis disturbs no other test."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import requests

from tests.fixtures.smtp_control import MailServer
from tests.ports import unused_port

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(0.1)


# --- The processes ------------------------------------------------------------------------------


class Process:
    """A command in a process group of its own, logging to a file."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path) -> None:
        self.name, self.command, self.env = name, command, env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("a")
        self.popen = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def signal(self, number: int) -> None:
        assert self.popen is not None
        os.killpg(self.popen.pid, number)

    def stop(self, timeout: float = 10) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGCONT)
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """kill -9 of the whole group: the main process and its children, with no warning."""
        assert self.popen is not None
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


CLAIM_SECONDS = 20


class Stack:
    def __init__(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="portal-drills-"))
        self.work.chmod(0o755)
        self.pg_dir = self.work / "pg"
        self.pg_run = self.work / "run"
        self.pg_port, self.redis_port, self.web_port = unused_port(), unused_port(), unused_port()
        self.mail = MailServer()
        self.url = f"http://127.0.0.1:{self.web_port}"
        self.dsn = f"postgres://portal@127.0.0.1:{self.pg_port}/drills"
        self.redis: Process | None = None
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "PATH": f"{BIN}:{os.environ['PATH']}",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DJANGO_SECRET_KEY": "drills-only-not-a-secret-0f9e8d7c6b5a49382716",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": self.dsn,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.mail.port}",
            "SITE_URL": self.url,
            "TRUSTED_PROXY_COUNT": "0",
            "VAR_DIR": str(self.work / "var"),
            # Every request comes from 127.0.0.1: the per-address limit is out of the way, the
            # per-email one is the limit the drills check.
            "QUERY_RATE_LIMIT_PER_IP": "10000",
            "QUERY_RATE_LIMIT_PER_EMAIL": "3",
            "LOG_LEVEL": "INFO",
            # The drills' mail server answers at once (or is told to wait half a second): a
            # short claim lets the worker-killed drill see its emails sent again in seconds,
            # not the minute and a half a real server's timeouts need.
            "EMAIL_TIMEOUT": "2",
            "OUTBOX_CLAIM_SECONDS": str(CLAIM_SECONDS),
        }
        python = str(BIN / "python")
        self.web = Process(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "-w",
                "2",
                "--timeout",
                "30",
                "-b",
                f"127.0.0.1:{self.web_port}",
            ],
            self.env,
            self.work,
        )
        celery = [python, "-m", "celery", "-A", "config"]
        self.worker = Process(
            "worker",
            [*celery, "worker", "--concurrency=1", "--loglevel=INFO", "--without-mingle"],
            self.env,
            self.work,
        )
        self.beat = Process(
            "beat",
            [*celery, "beat", "--loglevel=INFO", "-s", str(self.work / "beat-schedule")],
            self.env,
            self.work,
        )

    # --- PostgreSQL ---
    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*AS_POSTGRES, str(PG_BIN / "pg_ctl"), "-D", str(self.pg_dir), *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_postgres(self) -> None:
        self.pg_dir.mkdir()
        self.pg_run.mkdir()
        if AS_POSTGRES:
            shutil.chown(self.pg_dir, "postgres")
            shutil.chown(self.pg_run, "postgres")
        subprocess.run(
            [
                *AS_POSTGRES,
                str(PG_BIN / "initdb"),
                "-D",
                str(self.pg_dir),
                "-U",
                "portal",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
        )
        self.start_postgres_again()
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "portal",
                "drills",
            ],
            check=True,
        )

    def start_postgres_again(self) -> None:
        self._pg_ctl(
            "-l",
            str(self.pg_run / "postgres.log"),
            "-w",
            "-t",
            "60",
            "start",
            "-o",
            f"-p {self.pg_port} -k {self.pg_run} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
        )

    def stop_postgres(self) -> None:
        """As `pg_ctl restart` begins: open sessions are ended, the server shuts down."""
        self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")

    def sql(self, statement: str, *params) -> list[tuple]:
        with psycopg.connect(self.dsn, connect_timeout=5) as connection:
            return connection.execute(statement, params).fetchall()

    # --- Redis ---
    def start_redis(self) -> None:
        self.redis = Process(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
            ],
            self.env,
            self.work,
        )
        self.redis.start()
        wait_for(self.redis_answers, 10, "redis-server")

    def redis_answers(self) -> bool:
        answer = subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True, timeout=5
        )
        return answer.stdout == b"PONG\n"

    def stop_redis(self) -> None:
        assert self.redis is not None
        self.redis.stop()

    # --- The portal ---
    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def web_answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=3).status_code == 200
        except requests.RequestException:
            return False

    def worker_ready(self) -> bool:
        return "ready." in self.worker.log_path.read_text(errors="replace")

    def start(self) -> None:
        self.mail.start()
        self.start_postgres()
        self.start_redis()
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        for process in (self.web, self.worker, self.beat):
            process.start()
        wait_for(self.web_answers, 60, "gunicorn")
        wait_for(self.worker_ready, 60, "the Celery worker")

    def restart_worker(self) -> None:
        self.worker.log_path.write_text("")
        self.worker.start()
        wait_for(self.worker_ready, 60, "the Celery worker")

    def stop(self) -> None:
        for process in (self.beat, self.worker, self.web, self.redis):
            if process is not None:
                process.stop()
        if (self.pg_dir / "postmaster.pid").exists():
            subprocess.run(
                [
                    *AS_POSTGRES,
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.pg_dir),
                    "-m",
                    "immediate",
                    "stop",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        self.mail.refuse()
        shutil.rmtree(self.work, ignore_errors=True)

    # --- The outbox ---
    def last_outbox_id(self) -> int:
        return self.sql("SELECT coalesce(max(id), 0) FROM queries_outboxemail")[0][0]

    def outbox_since(self, after_id: int) -> dict[int, str]:
        """Row id -> status, of the outbox rows written after `after_id`."""
        rows = self.sql(
            "SELECT id, status FROM queries_outboxemail WHERE id > %s ORDER BY id", after_id
        )
        return dict(rows)

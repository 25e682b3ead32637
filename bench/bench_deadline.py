"""Deadline night: many regions autosaving question answers and uploading evidence at once, on PostgreSQL.

A PostgreSQL database (`BENCH_DATABASE_URL`, required; `BENCH_REUSE=1` keeps an already built one) gets the
national kla-2024 cycle of `bench_instrument` (514 kab/kota, every one of the 274 questions answered). Then
gunicorn (`BENCH_WORKERS`, default 4, `config.settings.test`, Redis cache when `REDIS_URL` is set) serves the
project and `BENCH_CLIENTS` clients (default 50), each the coordinator of its own region signed in with its own
session, work for `BENCH_SECONDS` (default 60) the way the forms do:

- open the 63-question indicator page (session cookie, CSRF cookie and form token), then, after a think time
  of 0.3 to 1.7 s (a person typing; the form autosaves 600 ms after a change), POST one question's whole form to
  the autosave endpoint with `HX-Request`, with the revision it last saw, and read the new revision from the
  answer (a refusal or a conflict counts as an error);
- one step in five is an evidence upload step instead: start a resumable upload of 1 MiB, PUT it in 256 KiB
  parts at the offset the server reports, complete it (the JSON API the upload script uses, with X-CSRFToken).

At the end every acknowledged write is looked up in the database: each question's answer must hold the values
and revision of the last save the server acknowledged, every acknowledged save must have its audit event, every
completed upload its evidence with the same SHA-256, every part acknowledged its bytes. Reported: requests,
errors, lost writes, p50/p95/p99 of the autosaves and of the upload steps, and the requests served per second.
The client is plain asyncio over sockets (one connection per request, as gunicorn's sync workers serve them).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8104"))
UPLOAD_SIZE = 1024 * 1024
PART = 256 * 1024
THINK = (0.3, 1.7)
UPLOAD_SHARE = 0.2
INDICATOR = "1"


def _setup_django(folder: str) -> bool:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return False
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["LAYAK_MEDIA_ROOT"] = str(Path(folder) / "media")
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()
    return True


def _world():
    """The national cycle (built once with BENCH_REUSE=1), and one coordinator per client region."""
    from django.core.management import call_command

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.evaluations.models import Assessment, Cycle

    call_command("migrate", verbosity=0)
    cycle = Cycle.objects.filter(name="Bench 2024").first()
    if cycle is None or os.environ.get("BENCH_REUSE") != "1":
        call_command("flush", interactive=False, verbosity=0)
        import bench_instrument

        cycle, _jakpus, _coordinator = bench_instrument._world()
    # A reused database keeps the uploads the previous run left unfinished (one per client at most); cleared as
    # the daily sweep would, or after five runs every upload start meets the per-user cap of unfinished uploads.
    from django.test import override_settings

    from layak.evidence.services import run_upload_sessions_sweep

    with override_settings(LAYAK_UPLOAD_SESSION_HOURS=0):
        run_upload_sessions_sweep()
    assessments = list(Assessment.objects.filter(cycle=cycle).order_by("region_id")[:CLIENTS])
    clients = []
    for n, assessment in enumerate(assessments):
        user, _new = User.objects.get_or_create(username=f"deadline_{n}", defaults={"full_name": f"Koordinator {n}"})
        RoleAssignment.objects.get_or_create(user=user, role=Role.REGION_COORDINATOR, region_id=assessment.region_id)
        clients.append((user, assessment))
    return cycle, clients


def _session_key(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _questions(cycle, assessment) -> list[dict]:
    """The client's questions (every one with a value box, of the indicator page it opens), with revisions."""
    from layak.evaluations.models import QuestionAnswer
    from layak.frameworks.models import Question

    revisions = dict(QuestionAnswer.objects.filter(assessment=assessment).values_list("question_id", "revision"))
    rows = Question.objects.filter(
        indicator__version_id=cycle.framework_id,
        indicator__code=INDICATOR,
        answer_type__in=["yes_no", "percentage", "count", "list"],
    ).order_by("order", "pk")
    return [
        {
            "id": q.pk,
            "type": q.answer_type,
            "years": list(range(cycle.year - q.years_asked + 1, cycle.year + 1)),
            "revision": revisions.get(q.pk, 0),
        }
        for q in rows
    ]


# --- a small HTTP/1.1 client over asyncio streams -------------------------------------------------------------


async def _http(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, dict, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{PORT}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _sep, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found: dict[str, list[str]] = {}
    for line in header_lines:
        key, _colon, value = line.partition(":")
        found.setdefault(key.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), found, content


class Client:
    def __init__(self, n: int, session: str, assessment, questions: list[dict], stop_at: float):
        self.n, self.session, self.assessment, self.questions = n, session, assessment, questions
        self.stop_at = stop_at
        self.csrf = ""
        self.token = ""
        self.saves: list[float] = []
        self.parts: list[float] = []
        self.errors: list[str] = []
        self.acked: dict[int, dict] = {}  # question id -> the last acknowledged save
        self.acked_count = 0
        self.uploads: list[tuple[int, str]] = []  # (evidence id, sha256) of completed uploads
        self.upload: dict | None = None
        self.seq = 0
        self.started_at = None

    def _headers(self, **extra: str) -> dict[str, str]:
        cookie = f"sessionid={self.session}; csrftoken={self.csrf}"
        return {"Cookie": cookie, "Accept-Language": "id", **extra}

    async def open_page(self) -> None:
        path = f"/evaluations/assessments/{self.assessment.pk}/instrument/{INDICATOR}/"
        status, headers, body = await _http("GET", path, self._headers())
        if status != 200:
            raise RuntimeError(f"client {self.n}: indicator page answered {status}")
        for cookie in headers.get("set-cookie", []):
            if cookie.startswith("csrftoken="):
                self.csrf = cookie.split(";")[0].split("=", 1)[1]
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match or not self.csrf:
            raise RuntimeError(f"client {self.n}: no CSRF token on the page")
        self.token = match.group(1).decode()

    def _form(self, question: dict) -> tuple[dict[str, str], dict]:
        self.seq += 1
        prefix, seq = f"q{question['id']}", self.seq
        note = f"deadline c{self.n} s{seq}"
        form = {
            "csrfmiddlewaretoken": self.token,
            f"{prefix}-expected_revision": str(question["revision"]),
            f"{prefix}-note": note,
        }
        expect: dict = {"note": note, "yes": None, "years": {}, "text": ""}
        if question["type"] == "yes_no":
            form[f"{prefix}-yes"] = "true" if seq % 2 else "false"
            expect["yes"] = bool(seq % 2)
        elif question["type"] == "percentage":
            for year in question["years"]:
                form[f"{prefix}-num_{year}"], form[f"{prefix}-den_{year}"] = str(seq % 97), "100"
                expect["years"][str(year)] = {"numerator": str(seq % 97), "denominator": "100"}
        elif question["type"] == "count":
            for year in question["years"]:
                form[f"{prefix}-count_{year}"] = str(seq)
                expect["years"][str(year)] = {"count": str(seq)}
        else:
            form[f"{prefix}-text"] = f"daftar {seq}"
            expect["text"] = f"daftar {seq}"
        return form, expect

    async def autosave(self) -> None:
        question = self.questions[self.seq % len(self.questions)]
        form, expect = self._form(question)
        path = f"/evaluations/assessments/{self.assessment.pk}/questions/{question['id']}/"
        headers = self._headers(**{"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"})
        started = time.perf_counter()
        status, _headers, body = await _http("POST", path, headers, urlencode(form).encode())
        self.saves.append(time.perf_counter() - started)
        pattern = rb'name="q%d-expected_revision" value="(\d+)"' % question["id"]
        match = re.search(pattern, body)
        if status != 200 or match is None or b"ev-saved" not in body:
            self.errors.append(f"save q{question['id']}: {status}")
            return
        question["revision"] = int(match.group(1))
        self.acked[question["id"]] = {**expect, "revision": question["revision"]}
        self.acked_count += 1

    async def upload_step(self) -> None:
        api = "/api/v1/evidence/uploads"
        json_headers = self._headers(**{"X-CSRFToken": self.csrf, "Content-Type": "application/json"})
        started = time.perf_counter()
        if self.upload is None:
            data = b"%PDF-1.7\n" + random.randbytes(UPLOAD_SIZE - 9)
            payload = {
                "region": self.assessment.region_id,
                "filename": f"bukti-{self.n}-{self.seq}.pdf",
                "size": UPLOAD_SIZE,
            }
            status, _h, body = await _http("POST", api, json_headers, json.dumps(payload).encode())
            if status != 201:
                self.errors.append(f"upload start: {status} {body[:200]!r}")
            else:
                self.upload = {"id": json.loads(body)["id"], "data": data, "received": 0}
        elif self.upload["received"] < UPLOAD_SIZE:
            offset = self.upload["received"]
            part = self.upload["data"][offset : offset + PART]
            headers = self._headers(**{"X-CSRFToken": self.csrf, "Content-Type": "application/octet-stream"})
            status, _h, body = await _http("PUT", f"{api}/{self.upload['id']}?offset={offset}", headers, part)
            if status != 200:
                self.errors.append(f"upload part: {status} {body[:200]!r}")
            else:
                self.upload["received"] = json.loads(body)["received"]
        else:
            title = {"title": f"Bukti tenggat {self.n}-{self.seq}"}
            status, _h, body = await _http(
                "POST", f"{api}/{self.upload['id']}/complete", json_headers, json.dumps(title).encode()
            )
            if status != 201:
                self.errors.append(f"upload complete: {status} {body[:200]!r}")
            else:
                self.uploads.append((json.loads(body)["id"], hashlib.sha256(self.upload["data"]).hexdigest()))
            self.upload = None
        self.parts.append(time.perf_counter() - started)

    async def run(self) -> None:
        rng = random.Random(self.n)
        while True:
            await asyncio.sleep(rng.uniform(*THINK))
            if time.perf_counter() >= self.stop_at:
                return
            if rng.random() < UPLOAD_SHARE:
                await self.upload_step()
            else:
                await self.autosave()


async def _drive(clients: list[Client]) -> float:
    """Every client opens its page, then all work for SECONDS; returns the seconds the work took."""
    await asyncio.gather(*(client.open_page() for client in clients))
    began = time.perf_counter()
    for client in clients:
        client.stop_at = began + SECONDS
    await asyncio.gather(*(client.run() for client in clients))
    return time.perf_counter() - began


def _lost(clients: list[Client]) -> tuple[int, int]:
    """(lost answer writes, lost upload writes): acknowledged but not in the database as acknowledged."""
    from layak.audit.models import AuditEvent
    from layak.evaluations.models import QuestionAnswer
    from layak.evidence.models import Evidence, UploadSession

    lost_answers = lost_uploads = 0
    for client in clients:
        stored = {
            a.question_id: a
            for a in QuestionAnswer.objects.filter(assessment=client.assessment, question_id__in=list(client.acked))
        }
        for question_id, expect in client.acked.items():
            answer = stored.get(question_id)
            if answer is None or any(getattr(answer, key) != value for key, value in expect.items()):
                lost_answers += 1
        audited = AuditEvent.objects.filter(
            verb="question.answered", actor__username=f"deadline_{client.n}", created_at__gte=client.started_at
        ).count()
        lost_answers += max(0, client.acked_count - audited)
        for evidence_id, sha in client.uploads:
            evidence = Evidence.objects.filter(pk=evidence_id).select_related("current_file").first()
            if evidence is None or evidence.current_file is None or evidence.current_file.sha256 != sha:
                lost_uploads += 1
        if client.upload is not None:
            session = UploadSession.objects.filter(pk=client.upload["id"]).first()
            if session is None or session.received != client.upload["received"]:
                lost_uploads += 1
    return lost_answers, lost_uploads


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _serve(folder: str) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{PORT}",
            "--backlog",
            "512",
            "--log-level",
            "warning",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
    )
    for _n in range(80):
        try:
            status, _h, _b = asyncio.run(_http("GET", "/healthz", {}))
            if status < 500:
                return server
        except OSError:
            pass
        time.sleep(0.25)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-deadline-") as folder:
        if not _setup_django(folder):
            print("bench_deadline: set BENCH_DATABASE_URL=postgres://… (PostgreSQL only)", file=sys.stderr)
            return {"skipped (no BENCH_DATABASE_URL)": (0, "")}
        from django.db import connections

        started = time.perf_counter()
        cycle, pairs = _world()
        build_s = time.perf_counter() - started
        sessions = [_session_key(user) for user, _assessment in pairs]
        connections.close_all()
        server = _serve(folder)
        try:
            from django.utils import timezone

            stop_at = time.perf_counter() + SECONDS
            clients = [
                Client(n, sessions[n], assessment, _questions(cycle, assessment), stop_at)
                for n, (_user, assessment) in enumerate(pairs)
            ]
            for client in clients:
                client.started_at = timezone.now()
            connections.close_all()
            elapsed = asyncio.run(_drive(clients))
        finally:
            server.terminate()
            server.wait(timeout=30)
        lost_answers, lost_uploads = _lost(clients)
        connections.close_all()
    saves = [t for c in clients for t in c.saves]
    parts = [t for c in clients for t in c.parts]
    errors = [e for c in clients for e in c.errors]
    if errors:
        print("first errors:", errors[:5], file=sys.stderr)
    figures: dict[str, tuple[float, str]] = {
        "build (or reuse)": (build_s, "s"),
        "clients": (len(clients), "clients"),
        "gunicorn workers": (WORKERS, "workers"),
        "duration": (elapsed, "s"),
        "autosaves": (len(saves), "requests"),
        "upload steps": (len(parts), "requests"),
        "served": ((len(saves) + len(parts)) / elapsed, "req/s"),
        "errors": (len(errors), "errors"),
        "lost answer writes": (lost_answers, "writes"),
        "lost upload writes": (lost_uploads, "writes"),
        "autosave p50": (_percentile(saves, 0.50), "ms"),
        "autosave p95": (_percentile(saves, 0.95), "ms"),
        "autosave p99": (_percentile(saves, 0.99), "ms"),
        "upload step p50": (_percentile(parts, 0.50), "ms"),
        "upload step p95": (_percentile(parts, 0.95), "ms"),
        "all p95": (_percentile(saves + parts, 0.95), "ms"),
    }
    print(figures, file=sys.stderr)
    return figures

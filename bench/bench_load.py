"""Load benchmark: the highest request rate served at p99 < 100 ms, with and without a re-rank running.

    python bench/bench_load.py [--pool 200000] [--rates 50 100 150 200 300] [--seconds 20]

Against the production configuration on loopback only: gunicorn with the shipped
`gunicorn.conf.py` serving `wsgi:app` on a seeded SQLite database (`flask demo seed`: 3000
candidates with accounts and profiles, plus `--pool` more, all from `flask demo seed
--candidates`, so the re-rank has a big pool to work on). The load is locust,
headless, one run per (rate, re-rank) pair, bounded by `--seconds` and by the rate:
each simulated user sends one request per second (`constant_throughput(1)`), so `rate` users
make `rate` requests a second when the service keeps up.

The mix (weights): public reads 50 (rounds, states, pool distribution), profile reads 25,
profile updates 15, invitation answers 10 (the list, then a decline of a pending one or of an
id that is not the candidate's). Sign-ins are a separate user class at a fixed 2 a second and
reported apart: argon2 is slow on purpose (`--sign-ins`, 0 for none, to see what they cost the mix). Tokens for the mix (1000 candidates) are written
before the run, so the mix does not wait for hashes. All clients share one
address (127.0.0.1), so the per-address limits are raised for the run (README, "Limits").

Before the first rate, every route is called from enough clients at once that every worker
serves each several times (grids compiled, caches filled). The server runs with its own timing
on (`TALENTPOOL_SERVER_TIMING`, `app/request_timing.py`), so each route's line also gives the
server's p50/p99 of its time in the application, in SQL and on the CPU (ms): the rest of the
client's time is spent queueing for a worker or a thread. The load average is printed before
and after each rate: the machine is shared.

"With re-rank": `flask pool rerank --only-rank --replace` runs in a loop in its own process
during the measurement, as the nightly job would. A rate is "sustained" when p99 < 100 ms, no
request failed (a 5xx or a refused connection; 4xx the mix expects are not failures) and at
least 95 % of the offered requests were served.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from locust import FastHttpUser, constant_throughput, events, task

ROOT = Path(__file__).resolve().parents[1]
TOKENS_FILE = "TALENTPOOL_BENCH_TOKENS"
SERVER_TIMING_FILE = "TALENTPOOL_BENCH_SERVER_TIMING"
SIGN_INS = "TALENTPOOL_BENCH_SIGN_INS"  # sign-ins a second beside the mix (`--sign-ins`)
P99_LIMIT_MS = 100


# --- what locust runs (this file is also the locustfile) ---------------------------------------

def _people() -> list[dict]:
    path = os.environ.get(TOKENS_FILE)
    return json.loads(Path(path).read_text()) if path else []


# The server's own timing of each response (`Server-Timing`: app, sql, cpu), per route, written
# when locust stops (one process: no workers).
_server_timing: dict[str, list[tuple[float, float, float]]] = {}


@events.request.add_listener
def _record_server_timing(name, response=None, exception=None, **_kwargs):
    header = response.headers.get("Server-Timing") if response is not None and response.headers else None
    if header:
        parts = dict(part.split(";dur=")[:2] for part in (p.split(";desc")[0].strip() for p in header.split(",")))
        _server_timing.setdefault(name, []).append(tuple(float(parts[k]) for k in ("app", "sql", "cpu")))


@events.quitting.add_listener
def _write_server_timing(**_kwargs):
    if os.environ.get(SERVER_TIMING_FILE):
        Path(os.environ[SERVER_TIMING_FILE]).write_text(json.dumps(_server_timing))


class Candidate(FastHttpUser):
    """One signed-in candidate (or the public) doing the realistic mix, one request a second."""

    wait_time = constant_throughput(1)
    weight = 100
    people = _people()

    def on_start(self):
        person = random.choice(self.people)
        self.headers = {"Authorization": f"Bearer {person['token']}"}
        self.profile = person["profile"]

    @task(20)
    def rounds(self):
        self.client.get("/api/v1/rounds", name="public: rounds")

    @task(15)
    def states(self):
        self.client.get("/api/v1/states", name="public: states")

    @task(15)
    def distribution(self):
        self.client.get("/api/v1/pool/distribution", name="public: distribution")

    @task(25)
    def read_profile(self):
        self.client.get("/api/v1/me/profile", headers=self.headers, name="profile: read")

    @task(15)
    def update_profile(self):
        self.client.put("/api/v1/me/profile", json=self.profile, headers=self.headers, name="profile: update")

    @task(10)
    def answer_invitation(self):
        with self.client.get("/api/v1/me/invitations", headers=self.headers, name="invitations: list",
                             catch_response=True) as listed:
            pending = [i["id"] for i in (listed.json() if listed.status_code == 200 else []) if i["status"] == "pending"]
        target = pending[0] if pending else 2_000_000_000
        with self.client.post(f"/api/v1/me/invitations/{target}/decline", headers=self.headers,
                              name="invitations: answer", catch_response=True) as answer:
            if answer.status_code in (200, 404, 409):
                answer.success()


class SignIn(FastHttpUser):
    """Sign-ins, counted apart: two a second in all, whatever the mix's rate."""

    wait_time = constant_throughput(1)
    fixed_count = int(os.environ.get(SIGN_INS, "2"))
    people = _people()

    @task
    def sign_in(self):
        person = random.choice(self.people)
        self.client.post("/api/v1/tokens", json={"email": person["email"], "password": person["password"]},
                         name="sign-in")


# --- the orchestration ---------------------------------------------------------------------------

def _flask(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, **kwargs)


# What the mix's profile updates send (README's example profile).
SAMPLE = {"date_of_birth": "1994-05-17", "education_level": 6,
          "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"}],
          "experience": [{"occupation": "2512", "years": 4}], "job_offer": None, "eu_study": False,
          "eu_work": False, "talent_partnership": False, "preferences": ["DE", "NL", "IE"]}


def prepare(folder: Path, pool: int, env: dict) -> Path:
    """Migrate, seed, add the synthetic pool, rank once, schedule the demo draw, and make tokens for
    1000 of the demo candidates (written to a file the locust users read)."""
    _flask(env, "db", "upgrade")
    _flask(env, "demo", "seed", "--candidates", str(3000 + pool))
    script = f"""
import json, secrets, sys
sys.path[:0] = [{str(ROOT)!r}]
from app import clock, create_app, db
from app.accounts import tokens
app = create_app()
people = []
with app.app_context(), db.unit_of_work() as session:  # tokens straight in: 1000 argon2 checks would take minutes
    from datetime import timedelta
    from sqlmodel import select
    from app.accounts.models import Account, Token
    password, now = app.config["DEMO_PASSWORD"], clock.now()
    for i in range(1, 1001):
        email = f"candidate{{i:05d}}@demo.talentpool.eu"
        account_id = session.exec(select(Account.id).where(Account.email == email)).one()
        raw = secrets.token_urlsafe(32)
        session.add(Token(account_id=account_id, token_hash=tokens.digest(raw), created_at=now,
                          expires_at=now + timedelta(days=1)))
        people.append({{"email": email, "password": password, "token": raw, "profile": {SAMPLE!r}}})
print(json.dumps(people))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr)
    people = json.loads(result.stdout.strip().splitlines()[-1])
    _flask(env, "pool", "rerank", "--only-rank", "--replace")
    _flask(env, "rounds", "demo")
    path = folder / "people.json"
    path.write_text(json.dumps(people))
    return path


def serve(env: dict, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                               env={**env, "TALENTPOOL_BIND": f"127.0.0.1:{port}", "TALENTPOOL_ACCESS_LOG": "/dev/null"},
                               stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    import http.client
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start: " + log.read_text()[-2000:])


def warm_up(port: int, people: list[dict], workers: int, rounds: int = 3) -> None:
    """Every route of the mix, from enough clients at once that every worker gets each several times:
    grids compiled, the run's counts and the distribution read, connections open, before any rate
    is measured (otherwise the first rate measures the cold start of every worker)."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    def hit(i: int) -> None:
        person = people[i % len(people)]
        headers = {"Authorization": f"Bearer {person['token']}", "Content-Type": "application/json"}
        for method, path, body in (("GET", "/api/v1/rounds", None), ("GET", "/api/v1/states", None),
                                   ("GET", "/api/v1/pool/distribution", None), ("GET", "/api/v1/me/profile", None),
                                   ("PUT", "/api/v1/me/profile", json.dumps(person["profile"])),
                                   ("GET", "/api/v1/me/invitations", None),
                                   ("POST", "/api/v1/me/invitations/2000000000/decline", None)):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request(method, path, body, headers)
            connection.getresponse().read()
            connection.close()

    with ThreadPoolExecutor(max_workers=4 * workers) as pool:
        for _ in range(rounds):
            list(pool.map(hit, range(8 * workers)))


def reranking(env: dict) -> subprocess.Popen:
    loop = f"while true; do {sys.executable} -m flask --app app pool rerank --only-rank --replace >/dev/null 2>&1; done"
    return subprocess.Popen(["bash", "-c", loop], cwd=ROOT, env=env, start_new_session=True)


def measure(env: dict, port: int, rate: int, seconds: int, folder: Path) -> dict:
    prefix = folder / f"rate{rate}"
    timing_file = folder / f"rate{rate}_server.json"
    timing_file.unlink(missing_ok=True)
    load_before = os.getloadavg()[0]
    subprocess.run([sys.executable, "-m", "locust", "-f", __file__, "--headless", "--host", f"http://127.0.0.1:{port}",
                    "-u", str(rate + SignIn.fixed_count), "-r", str(max(rate, 10)), "-t", f"{seconds}s",
                    "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5"],
                   cwd=ROOT, env={**env, SERVER_TIMING_FILE: str(timing_file)}, check=False, capture_output=True)
    load_after = os.getloadavg()[0]
    server = json.loads(timing_file.read_text()) if timing_file.exists() else {}
    rows = {row["Name"]: row for row in csv.DictReader(open(f"{prefix}_stats.csv"))}
    mix = [row for name, row in rows.items() if name not in ("Aggregated", "sign-in")]
    served = sum(int(row["Request Count"]) for row in mix)
    failures = sum(int(row["Failure Count"]) for row in mix)
    percentile = max((float(row["99%"]) for row in mix if int(row["Request Count"])), default=float("inf"))
    # locust has no p99 over a subset; the aggregate minus sign-ins is bounded by the worst name's p99
    sign_in = rows.get("sign-in", {})
    return {"rate": rate, "served_per_s": served / seconds, "p50_ms": max(float(r["50%"]) for r in mix),
            "p99_ms": percentile, "failures": failures,
            "sign_in_p50_ms": float(sign_in.get("50%", "nan") or "nan"),
            "sign_in_p99_ms": float(sign_in.get("99%", "nan") or "nan"),
            "load": (load_before, load_after),
            "by_name": {row["Name"]: (int(row["Request Count"]), float(row["50%"]), float(row["99%"])) for row in mix},
            "server": {name: _summary(values) for name, values in server.items()}}


def _summary(values: list) -> dict:
    """p50 and p99 of the server's app, sql and cpu milliseconds of one route."""
    import numpy as np
    array = np.array(values, dtype=float).reshape(-1, 3)
    return {kind: (float(np.percentile(array[:, i], 50)), float(np.percentile(array[:, i], 99)))
            for i, kind in enumerate(("app", "sql", "cpu"))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=200_000, help="synthetic candidates besides the demo's 3000")
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 100, 150, 200, 300])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--sign-ins", type=int, default=2, help="sign-ins a second beside the mix (0: none)")
    parser.add_argument("--rerank", choices=["off", "on", "both"], default="both",
                        help="measure without a re-rank running, with one, or both series")
    parser.add_argument("--folder", type=Path, help="keep the seeded database here (and reuse it if it is there)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="talentpool-load-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        SignIn.fixed_count = args.sign_ins
        env = {**os.environ, SIGN_INS: str(args.sign_ins), "TALENTPOOL_DATABASE_URL": f"sqlite:///{folder}/load.sqlite3",
               "TALENTPOOL_SECRET_KEY": "bench-" + "x" * 40, "TALENTPOOL_SIGN_IN_ADDRESS_LIMIT": "1000000",
               "TALENTPOOL_SIGN_IN_ACCOUNT_LIMIT": "1000000", "TALENTPOOL_REGISTRATION_ADDRESS_LIMIT": "1000000",
               # Production refuses to start without an SMTP server; nothing is sent during the run
               # (web workers only write to the outbox), so any address will do.
               "TALENTPOOL_MAIL_HOST": "127.0.0.1", "TALENTPOOL_MAIL_PORT": "1"}
        started = time.perf_counter()
        if (folder / "people.json").exists():
            env[TOKENS_FILE] = str(folder / "people.json")
            print(f"reusing the database in {folder}")
        else:
            env[TOKENS_FILE] = str(prepare(folder, args.pool, env))
            print(f"seeded 3000 + {args.pool} candidates in {time.perf_counter() - started:.0f} s")
        port = 20000 + os.getpid() % 20000
        server = serve({**env, "TALENTPOOL_SERVER_TIMING": "true"}, port, folder / "gunicorn.log")
        try:
            workers = int(env.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
            started = time.perf_counter()
            warm_up(port, json.loads(Path(env[TOKENS_FILE]).read_text()), workers)
            print(f"warmed up {workers} workers in {time.perf_counter() - started:.0f} s; "
                  f"load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
            for rerank_running in {"off": (False,), "on": (True,), "both": (False, True)}[args.rerank]:
                rerank = reranking(env) if rerank_running else None
                try:
                    best = None
                    for rate in args.rates:
                        result = measure(env, port, rate, args.seconds, folder)
                        ok = (result["p99_ms"] < P99_LIMIT_MS and not result["failures"]
                              and result["served_per_s"] >= 0.95 * rate * 0.99)
                        best = rate if ok else best
                        print(f"re-rank {'on ' if rerank_running else 'off'} offered {rate:4d}/s served "
                              f"{result['served_per_s']:6.1f}/s p50 {result['p50_ms']:6.0f} ms p99 {result['p99_ms']:6.0f} ms "
                              f"failures {result['failures']}; sign-in p50 {result['sign_in_p50_ms']:.0f} ms "
                              f"p99 {result['sign_in_p99_ms']:.0f} ms; load average {result['load'][0]:.1f} -> "
                              f"{result['load'][1]:.1f} {'ok' if ok else ''}", flush=True)
                        for name, (count, p50, p99) in sorted(result["by_name"].items()):
                            timing = result["server"].get(name)
                            inside = "" if timing is None else "; server p50/p99 " + ", ".join(
                                f"{kind} {a:.1f}/{b:.1f}" for kind, (a, b) in timing.items())
                            print(f"    {name:24s} {count:6d} requests p50 {p50:6.0f} ms p99 {p99:6.0f} ms{inside}")
                        if not ok and result["served_per_s"] < 0.8 * rate and rate != args.rates[0]:
                            break
                    print(f"highest rate at p99 < {P99_LIMIT_MS} ms, re-rank {'on' if rerank_running else 'off'}: {best}/s")
                finally:
                    if rerank is not None:
                        os.killpg(rerank.pid, 15)
                        rerank.wait()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()

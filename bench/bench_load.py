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
reported apart: argon2 is slow on purpose. Tokens for the mix (1000 candidates) are written
before the run, so the mix does not wait for hashes. All clients share one
address (127.0.0.1), so the per-address limits are raised for the run (README, "Limits").

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

from locust import FastHttpUser, constant_throughput, task

ROOT = Path(__file__).resolve().parents[1]
TOKENS_FILE = "TALENTPOOL_BENCH_TOKENS"
P99_LIMIT_MS = 100


# --- what locust runs (this file is also the locustfile) ---------------------------------------

def _people() -> list[dict]:
    path = os.environ.get(TOKENS_FILE)
    return json.loads(Path(path).read_text()) if path else []


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
    fixed_count = 2
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


def reranking(env: dict) -> subprocess.Popen:
    loop = f"while true; do {sys.executable} -m flask --app app pool rerank --only-rank --replace >/dev/null 2>&1; done"
    return subprocess.Popen(["bash", "-c", loop], cwd=ROOT, env=env, start_new_session=True)


def measure(env: dict, port: int, rate: int, seconds: int, folder: Path) -> dict:
    prefix = folder / f"rate{rate}"
    subprocess.run([sys.executable, "-m", "locust", "-f", __file__, "--headless", "--host", f"http://127.0.0.1:{port}",
                    "-u", str(rate + SignIn.fixed_count), "-r", str(max(rate, 10)), "-t", f"{seconds}s",
                    "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5"],
                   cwd=ROOT, env=env, check=False, capture_output=True)
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
            "by_name": {row["Name"]: (int(row["Request Count"]), float(row["50%"]), float(row["99%"])) for row in mix}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=200_000, help="synthetic candidates besides the demo's 3000")
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 100, 150, 200, 300])
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="talentpool-load-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "TALENTPOOL_DATABASE_URL": f"sqlite:///{folder}/load.sqlite3",
               "TALENTPOOL_SECRET_KEY": "bench-" + "x" * 40, "TALENTPOOL_SIGN_IN_ADDRESS_LIMIT": "1000000",
               "TALENTPOOL_SIGN_IN_ACCOUNT_LIMIT": "1000000", "TALENTPOOL_REGISTRATION_ADDRESS_LIMIT": "1000000",
               # Production refuses to start without an SMTP server; nothing is sent during the run
               # (web workers only write to the outbox), so any address will do.
               "TALENTPOOL_MAIL_HOST": "127.0.0.1", "TALENTPOOL_MAIL_PORT": "1"}
        started = time.perf_counter()
        env[TOKENS_FILE] = str(prepare(folder, args.pool, env))
        print(f"seeded 3000 + {args.pool} candidates in {time.perf_counter() - started:.0f} s")
        port = 20000 + os.getpid() % 20000
        server = serve(env, port, folder / "gunicorn.log")
        try:
            for rerank_running in (False, True):
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
                              f"p99 {result['sign_in_p99_ms']:.0f} ms {'ok' if ok else ''}", flush=True)
                        for name, (count, p50, p99) in sorted(result["by_name"].items()):
                            print(f"    {name:24s} {count:6d} requests p50 {p50:6.0f} ms p99 {p99:6.0f} ms")
                        if not ok and result["served_per_s"] < 0.8 * rate:
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

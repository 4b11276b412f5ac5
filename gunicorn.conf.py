"""gunicorn settings for `make run` and for production (`gunicorn -c gunicorn.conf.py wsgi:app`).

Threaded workers (`gthread`), because a sync worker serves one connection at a time from the
moment it reads the first byte: four clients sending a header byte every few seconds held every
sync worker of `make run` until gunicorn killed them, and `/healthz` went unanswered meanwhile.
A gthread worker waits for a connection's first bytes in its event loop (not in a thread), and a
client that trickles its headers ties up one thread only, so `workers × threads` slow clients
are needed to stall the service. gunicorn has no deadline for reading a request's headers: a
client that keeps trickling holds its thread until it stops. Exposed to the internet, run a
buffering reverse proxy in front (README, "Production"); these settings are the second line.

Every value can be changed from the environment, so one file serves a laptop and a server.
"""
import os

# Where to listen: loopback by default; behind a proxy on the same host that is what you want.
bind = os.environ.get("TALENTPOOL_BIND", "127.0.0.1:5000")
# One process per core (the GIL serialises Python inside a process); WEB_CONCURRENCY is the usual name.
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
# Threads mostly wait (on clients, on the database), so many per process cost little; they are the
# bound on clients served at once by one process, slow ones included.
threads = int(os.environ.get("TALENTPOOL_THREADS", "32"))
# A worker takes a connection only when it has a thread free for it: otherwise connections queue
# inside the worker that accepted them, behind its slow clients, while another worker sits idle.
# Past `workers × threads` they wait in the kernel's listen queue for the first free thread.
worker_connections = threads
# A worker silent this long is killed and replaced (gthread workers report while they wait, so
# this bounds a stuck process, not a slow request).
timeout = int(os.environ.get("TALENTPOOL_WORKER_TIMEOUT", "30"))
# On restart or SIGTERM, in-flight requests get this long to finish.
graceful_timeout = 20
# No keep-alive: a kept-alive connection would hold a place in `worker_connections` between
# requests (and gunicorn warns that none are left). Connections that send nothing for gunicorn's
# 5 s wait are closed right after it. Behind the proxy, the proxy keeps the clients' connections.
keepalive = 0
# Load the application once in the master: workers fork ready (the first request is not slow),
# and a configuration error (say, no SECRET_KEY) stops gunicorn at once with its message,
# instead of every worker failing to boot in turn.
preload_app = True
# Request line and headers: gunicorn's sizes, fewer header fields (the API needs a handful).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
accesslog = os.environ.get("TALENTPOOL_ACCESS_LOG", "-")
# gunicorn's runtime control socket (`gunicornc`) defaults to one path per user, which every
# instance on the machine would share; we do not use it.
control_socket_disable = True


def post_worker_init(worker):
    """Each worker loads the newest ranking run in the background (app/ranking_runs/warm_up.py),
    so that the first preview or simulation it serves does not wait for that load."""
    from app.ranking_runs import warm_up

    warm_up.start(worker.wsgi)

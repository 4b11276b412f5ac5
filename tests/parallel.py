"""Fire requests at once from several threads, each with its own test client (a client per worker).

A barrier releases every thread together, so the requests really overlap inside the service and
its database (the Flask test client calls the WSGI app in the calling thread).
"""
from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(app, count: int, send: Callable) -> list:
    """`send(client, i)` from `count` threads released together; the responses, in order of i."""
    barrier = threading.Barrier(count)
    responses: list = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        try:
            responses[i] = send(client, i)
        except BaseException as error:  # noqa: BLE001 - re-raised below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return responses


def statuses(responses) -> list[int]:
    return sorted(response.status_code for response in responses)

"""Benchmarks of the delivery pipeline, locating points among areas, and busy pages.

    .venv/bin/python -m bench <part> [options]    # or all; --help lists them

Each part prints its exact configuration (git commit, machine and load, database,
broker, sizes, processes), a Markdown table and whether each target was met.

- ``fanout``: N members (e-mail and in-app each, SMS for 1 in 10) in 20 areas get one
  police alert sent through ``notifications.services.send_alert``, handled by a real
  Celery worker (four prefork processes) over Redis, with e-mail to an SMTP server on
  loopback. Measures the send call, the time until every delivery is final, the
  worker's peak memory, the SQL queries of the dispatch, and the raw limits: a plain
  smtplib loop (median of three runs) and a bulk insert of as many rows.
- ``email-cost``: the e-mail send code in the benchmark's own process, each step of a
  message timed (CPU and wall), beside the raw smtplib loop's CPU for the same message.
- ``locate``: 10,000 areas; ``watch.areas.selectors.areas_covering`` against brute force.
- ``pages``: gunicorn on loopback loaded by ``wrk`` (Debian package ``wrk``), with
  ``/healthz`` under the same load as the floor.
- ``page-cpu``: the same pages' CPU time per request in the benchmark's own process,
  through Django's WSGI handler, beside ``/healthz``'s.
- ``page-instructions``: the same requests' instructions, counted by Valgrind's
  callgrind (Debian package ``valgrind``): steady where times wander, for comparing
  two commits.
- ``after-alert``: an alert to 100,000 members, then 2,000 of them, each signed in,
  open their inbox entry at constant rates (50, 100, 200, 400 requests/s) through
  gunicorn behind Caddy, paced by ``wrk`` with ``wrk_paced.lua``; ``/healthz`` under the
  same schedule as the floor, and the highest rate with p95 under 200 ms.

It needs PostgreSQL and Redis and uses a database of its own (``--database-url``,
default ``postgres://postgres@127.0.0.1:5432/gsv_bench``; the name must contain
``bench``), which it creates, migrates and empties before each part — never the
database in ``DATABASE_URL``. ``--help`` lists every option.

``tests/test_bench.py`` runs the fan-out at N = 1,000 and the e-mail cost at 150 as
correctness tests; ``tests/test_bench_after_alert.py`` the after-alert part at 200
members and 20 sessions.
"""

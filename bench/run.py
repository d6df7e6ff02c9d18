"""Each part of the benchmark: run it, print its configuration, table and targets."""

from __future__ import annotations

import argparse
import os
import sys

from django.core.management import call_command

from bench import (
    after_alert,
    dispatch,
    email_cost,
    fanout,
    locate,
    page_cpu,
    page_instructions,
    pages,
    push,
)
from bench.report import configuration, table
from config.celery_app import app


def reset() -> None:
    """Empty the benchmark's database and the broker's queue: each part starts from nothing."""
    call_command("flush", interactive=False, verbosity=0)
    app.control.purge()


def _heading(title: str, **config: object) -> None:
    print(f"\n## {title}\n\n{configuration(**config)}\n", flush=True)


def _times(ratio: float) -> str:
    return f"{ratio:.0f} x" if ratio >= 10 else f"{ratio:.2f} x"


def _target(met: bool, text: str) -> str:
    return f"- [{'x' if met else ' '}] {text}"


def fanout_part(args: argparse.Namespace) -> None:
    _heading(
        "Fan-out",
        N=", ".join(f"{n:,}" for n in args.n),
        areas=args.areas,
        workers=f"{args.workers} Celery prefork processes (one worker)",
        channels=f"e-mail and in-app to all; SMS (console backend) to 1 in {args.sms_every}",
        smtp="aiosmtpd sink on loopback in the benchmark process",
        raw="smtplib loop in a child process over one connection, re-sending the "
        f"pipeline's own message, median of {fanout.RAW_SMTP_RUNS} runs of up to "
        f"{fanout.RAW_SMTP_MESSAGES:,}; bulk_create of as many Delivery rows",
    )
    results = []
    for n in args.n:
        reset()
        print(f"  N = {n:,} …", file=sys.stderr, flush=True)
        result = fanout.measure(
            n, area_count=args.areas, workers=args.workers, sms_every=args.sms_every
        )
        results.append(result)
        if result.problems:
            print(f"  PROBLEMS at N = {n:,}: {result.problems}", flush=True)
    print(_fanout_tables(results))
    print()
    worst_send = max(r.send_s for r in results) * 1000
    ratio = min((r.n / r.final_s) / r.raw_smtp_rate for r in results)
    per_1000 = max(r.queries_per_1000 for r in results)
    children = [r.rss_kb["child"] for r in results]
    print(_target(worst_send < 100, f"send call < 100 ms at every N: worst {worst_send:.1f} ms"))
    print(_target(ratio >= 0.5, f"e-mails/s ≥ 0.5 x raw smtplib: worst {ratio:.2f} x"))
    print(_target(per_1000 <= 5, f"dispatch ≤ 5 SQL queries per 1,000: worst {per_1000:.1f}"))
    print(
        _target(
            max(children) <= 1.25 * min(children),
            f"worker memory flat in N: {min(children) / 1024:.0f}-{max(children) / 1024:.0f} MB",
        )
    )
    print(_target(not any(r.problems for r in results), "no delivery missing or duplicated"))


def _fanout_tables(results: list[fanout.Result]) -> str:
    pipeline = table(
        [
            "N",
            "send call ms",
            "dispatched s",
            "ranges / slices",
            "all final s",
            "deliveries",
            "deliveries/s",
            "e-mails/s",
            "worker CPU s",
            "worker RSS MB (child / main)",
        ],
        [
            [
                r.n,
                r.send_s * 1000,
                r.dispatched_s,
                f"{r.ranges} / {r.slices}",
                r.final_s,
                r.rows,
                r.rows / r.final_s,
                r.n / r.final_s,
                r.worker_cpu_s,
                f"{r.rss_kb['child'] / 1024:.0f} / {r.rss_kb['main'] / 1024:.0f}",
            ]
            for r in results
        ],
    )
    limits = table(
        [
            "N",
            "raw smtplib e-mails/s (runs)",
            "pipeline / raw",
            "raw insert rows/s",
            "dispatch alone s",
            "raw insert s",
            "dispatch queries",
            "fixed + per 1,000",
        ],
        [
            [
                r.n,
                f"{r.raw_smtp_rate:,.1f} ({', '.join(f'{x:,.0f}' for x in r.raw_smtp_rates)})",
                (r.n / r.final_s) / r.raw_smtp_rate,
                r.rows / r.raw_insert_s,
                r.dispatch_alone_s,
                r.raw_insert_s,
                r.dispatch_queries,
                f"{r.dispatch_fixed_queries} + {r.queries_per_1000:.1f}",
            ]
            for r in results
        ],
    )
    return f"{pipeline}\n\n{limits}"


def dispatch_part(args: argparse.Namespace) -> None:
    _heading(
        "Dispatch alone, by worker processes",
        N=f"{args.dispatch_n:,}",
        areas=args.areas,
        workers=", ".join(str(w) for w in args.dispatch_workers)
        + " Celery prefork processes taking the dispatch queue only",
    )
    reset()
    runs = dispatch.run(
        args.dispatch_n, args.dispatch_workers, area_count=args.areas, sms_every=args.sms_every
    )
    print(
        table(
            ["workers", "dispatched s", "members/s", "ranges / slices", "rows", "vs the first"],
            [
                [
                    r.workers,
                    r.seconds,
                    args.dispatch_n / r.seconds,
                    f"{r.ranges} / {r.slices}",
                    r.rows,
                    _times(runs[0].seconds / r.seconds),
                ]
                for r in runs
            ],
        )
    )


def locate_part(args: argparse.Namespace) -> None:
    _heading(
        "Locate",
        areas=f"{args.locate_areas:,} active, non-overlapping, 16 vertices each",
        points=f"{args.points:,} random (brute force on the first {args.brute_points:,})",
    )
    reset()
    r = locate.run(args.locate_areas, args.points, args.brute_points)
    print(
        table(
            ["method", "µs per lookup", "speed-up"],
            [
                ["active_area_ids_at (in-memory STRtree)", r.located_us, _times(1)],
                [
                    "areas_covering (the above + the rows)",
                    r.indexed_us,
                    _times(r.indexed_us / r.located_us),
                ],
                ["brute force, Python loop", r.loop_us, _times(r.loop_us / r.located_us)],
                [
                    "brute force, one vectorised call",
                    r.vectorised_us,
                    _times(r.vectorised_us / r.located_us),
                ],
                ["bounding-box SQL raw, the model's B-tree indexes", r.raw_btree_us, ""],
                ["bounding-box SQL raw, GiST index on box (candidate)", r.raw_gist_us, ""],
            ],
        )
    )
    print(f"\n{r.hits:,} of {r.points:,} points inside an area; {r.disagreements} disagreements")
    print(_target(r.located_us < 1000, f"< 1 ms per lookup: {r.located_us:.0f} µs"))
    speedup = r.loop_us / r.located_us
    print(_target(speedup >= 50, f"≥ 50 x faster than a brute-force loop: {speedup:.0f} x"))
    print(
        _target(
            r.indexed_us < 1000,
            f"with the rows (areas_covering) < 1 ms: {r.indexed_us:.0f} µs, "
            f"{r.loop_us / r.indexed_us:.0f} x brute force",
        )
    )
    print(_target(r.disagreements == 0, "same answer as brute force"))


def pages_part(args: argparse.Namespace) -> None:
    _heading(
        "Pages",
        server=f"gunicorn, {args.web_workers} sync workers, DEBUG off, on loopback",
        load=f"wrk, 2 threads, {args.connections} connections, {args.seconds} s per page "
        "after a 2 s warm-up, then 1 connection for as long; on the same machine",
    )
    results = pages.run(
        reset=reset,
        connections=args.connections,
        seconds=args.seconds,
        web_workers=args.web_workers,
    )
    print(
        table(
            [
                "page",
                "rows",
                "requests/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "alone p50 / p95 ms",
                "CPU ms a request: web / database",
                "errors",
                "SQL queries",
            ],
            [
                [
                    r.page.name,
                    f"{r.page.size:,} {r.page.rows}" if r.page.size else "-",
                    f"{r.requests_per_s:,.1f} ({r.share_of(results[-1]):.2f} of the floor)",
                    r.p50_ms,
                    r.p95_ms,
                    r.p99_ms,
                    f"{r.alone_p50_ms:.1f} / {r.alone_p95_ms:.1f}",
                    f"{r.web_cpu_ms:.2f} / {r.database_cpu_ms:.2f}",
                    r.errors,
                    f"{r.queries[0]} at {r.page.size // 10:,}, {r.queries[1]} at {r.page.size:,}"
                    if r.page.size
                    else "1 (and a cache read)",
                ]
                for r in results
            ],
        )
    )
    *results, floor = results
    print()
    worst = max(r.p95_ms for r in results)
    print(_target(worst < 50, f"p95 < 50 ms: worst {worst:.1f} ms"))
    print(
        f"  (the floor, /healthz: {floor.requests_per_s:,.0f} requests/s, "
        f"p95 {floor.p95_ms:.1f} ms; at {args.connections} connections a page has p95 < 50 ms "
        f"only if the server answers about {args.connections * 1000 / 50:,.0f}+ requests/s)"
    )
    constant = all(r.queries[0] == r.queries[1] for r in results)
    print(_target(constant, "SQL queries per request independent of rows"))
    signed_in = [r for r in results if r.page.signed_in]
    least = min(signed_in, key=lambda r: r.share_of(floor))
    print(
        _target(
            least.share_of(floor) >= pages.SIGNED_IN_SHARE_OF_FLOOR,
            f"signed-in pages at {pages.SIGNED_IN_SHARE_OF_FLOOR:.2f}+ of the floor's "
            f"requests/s: least {least.share_of(floor):.2f} ({least.page.name})",
        )
    )
    slowest = max(signed_in, key=lambda r: r.alone_p95_ms)
    print(
        _target(
            slowest.alone_p95_ms < pages.SIGNED_IN_ALONE_P95_MS,
            f"signed-in pages alone p95 < {pages.SIGNED_IN_ALONE_P95_MS:.0f} ms: "
            f"worst {slowest.alone_p95_ms:.1f} ms ({slowest.page.name})",
        )
    )


def page_cpu_part(args: argparse.Namespace) -> None:
    _heading("Page CPU: one request's CPU time in the web process", method=page_cpu.configuration())
    reset()
    results = page_cpu.measure()
    floor = results[-1].median_ms
    print(
        table(
            ["page", "CPU ms a request (median)", "rounds ms", "times the floor"],
            [
                [
                    r.name,
                    f"{r.median_ms:.2f}",
                    ", ".join(f"{ms:.2f}" for ms in r.rounds_ms),
                    f"{r.median_ms / floor:.1f}",
                ]
                for r in results
            ],
        )
    )


def page_instructions_part(args: argparse.Namespace) -> None:
    _heading(
        "Page instructions: one request's instructions in the web process",
        method=page_instructions.configuration(),
    )
    reset()
    results = page_instructions.measure()
    floor = results[-1]
    print(
        table(
            ["page", "instructions a request", "times the floor"],
            [[r.name, f"{r.instructions:,}", f"{r.times(floor):.2f}"] for r in results],
        )
    )


def email_cost_part(args: argparse.Namespace) -> None:
    _heading(
        "E-mail: a worker's CPU per message, step by step",
        emails=f"{args.cost_emails:,} to one alert, in batches of {email_cost.BATCH}, "
        "sent by this process",
        smtp="aiosmtpd's Sink handler in a child process, on loopback",
    )
    reset()
    cost = email_cost.measure(args.cost_emails)
    per = 1000 / cost.emails
    rows = [[step.label, step.cpu_s * per, step.wall_s * per, step.calls] for step in cost.steps]
    timed_cpu = sum(step.cpu_s for step in cost.steps)
    timed_wall = sum(step.wall_s for step in cost.steps)
    rows.append(
        [
            "the rest (loop, rows, glue)",
            (cost.cpu_s - timed_cpu) * per,
            (cost.wall_s - timed_wall) * per,
            "",
        ]
    )
    rows.append(["in all", cost.cpu_s * per, cost.wall_s * per, ""])
    rows.append(["raw smtplib loop, the same message", cost.raw_cpu_s * per, "", ""])
    print(table(["step", "CPU ms per e-mail", "wall ms per e-mail", "calls"], rows))


def after_alert_part(args: argparse.Namespace) -> None:
    _heading(
        "The minutes after an alert",
        members=f"{args.members:,} in {after_alert.AREAS} areas, one police alert to all "
        "(send_alert, then dispatch in this process; nothing queued, no worker running)",
        sessions=f"{args.sessions:,} members signed in, each opening their own inbox entry "
        "(made unread again before each run)",
        server=f"gunicorn, {args.web_workers} sync workers, DEBUG off, behind Caddy "
        "(the project's Caddyfile, plain HTTP), on loopback",
        load=f"wrk with bench/wrk_paced.lua: {args.seconds} s per rate at a constant rate, "
        "latency from when each request was due, one connection per thread "
        f"(as many as the rate, at most {after_alert.MAX_CONNECTIONS}); on the same machine",
    )
    reset()
    report = after_alert.run(
        members=args.members,
        sessions=args.sessions,
        rates=args.rates,
        seconds=args.seconds,
        web_workers=args.web_workers,
        search=args.search,
    )
    scenario = report.scenario
    print(
        f"  (seeding {scenario.seed_s:.0f} s, send and dispatch {scenario.dispatch_s:.0f} s, "
        f"{len(scenario.visits):,} sessions {scenario.sessions_s:.0f} s)\n"
    )
    runs = sorted(
        [*report.entries, *report.floors], key=lambda r: (r.rate, r.page.startswith("floor"))
    )
    print(
        table(
            [
                "page",
                "rate requests/s",
                "achieved requests/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "requests",
                "errors",
                "unanswered",
                f"p95 < {after_alert.P95_LIMIT_MS:.0f} ms",
            ],
            [
                [
                    r.page + (" (search)" if r.search else ""),
                    r.rate,
                    r.requests_per_s,
                    r.percentile(0.50),
                    r.percentile(0.95),
                    r.percentile(0.99),
                    r.scheduled,
                    r.errors,
                    r.unanswered,
                    "yes" if r.holds else "no",
                ]
                for r in runs
            ],
        )
    )
    print()
    ok = sum(r.ok for r in report.entries)
    answered = sum(r.ok + r.errors for r in report.entries)
    print(
        _target(
            ok == answered,
            f"every answer a 200 with the member's own entry: {ok:,} of {answered:,}",
        )
    )
    print(
        _target(
            report.strangers_refused == report.strangers_tried,
            f"another member's entry refused (404): {report.strangers_refused} "
            f"of {report.strangers_tried}",
        )
    )
    highest = report.highest
    print(
        _target(
            highest is not None,
            f"highest rate with p95 < {after_alert.P95_LIMIT_MS:.0f} ms: "
            + (f"{highest:,} requests/s" if highest else "none of those tried"),
        )
    )
    cpus = os.cpu_count() or 1
    size = after_alert.sizing(report, cpus)
    if size is not None:
        print(
            f"  sizing: {after_alert.OPEN_SHARE:.0%} of {report.members:,} members open the "
            f"entry within ten minutes, {after_alert.EARLY_SHARE:.0%} of them in the first "
            f"{after_alert.EARLY_S // 60} minutes: {size.peak_per_s:,.0f} requests/s; "
            f"{highest:,} requests/s on {cpus} CPUs is {size.per_cpu_per_s:,.0f} per CPU, "
            f"so {size.cpus} CPUs, {size.processes} gunicorn workers"
        )


def push_part(args: argparse.Namespace) -> None:
    _heading(
        "Push beside e-mail",
        N=f"{args.push_n:,}, one push device each",
        workers=f"{args.workers} Celery prefork processes (one worker)",
        channels="e-mail, push and in-app to all",
        smtp="aiosmtpd sink on loopback in the benchmark process",
        push="http.server on loopback in the benchmark process, 201 to every message "
        "(RFC 8291 encryption and a VAPID signature per push service and batch, as in "
        "production; plain HTTP, so no TLS)",
    )
    reset()
    result = push.measure(args.push_n, workers=args.workers)
    rows = [
        [
            label,
            result.sent(channel),
            result.first_sent_s[channel],
            result.last_sent_s[channel],
            result.rate(channel),
        ]
        for label, channel in (("e-mail", "email"), ("push", "push"))
    ]
    headers = ["channel", "sent", "first sent after s", "last sent after s", "messages/s"]
    print(table(headers, rows))
    print()
    final = f"every delivery final after {result.final_s:.1f} s"
    print(f"send call {result.send_s * 1000:.0f} ms; {final}")
    arrived = (result.emails_at_sink, result.pushes_at_service)
    told = arrived == (result.sent("email"), result.sent("push")) == (result.n, result.n)
    print(_target(told, f"every member told once by each (e-mail, push): {arrived}"))


PARTS = {
    "fanout": fanout_part,
    "dispatch": dispatch_part,
    "email-cost": email_cost_part,
    "locate": locate_part,
    "pages": pages_part,
    "page-cpu": page_cpu_part,
    "page-instructions": page_instructions_part,
    "after-alert": after_alert_part,
    "push": push_part,
}

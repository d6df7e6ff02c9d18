"""Each part of the benchmark: run it, print its configuration, table and targets."""

from __future__ import annotations

import argparse
import sys

from django.core.management import call_command

from bench import email_cost, fanout, locate, pages
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
                "errors",
                "SQL queries",
            ],
            [
                [
                    r.page.name,
                    f"{r.page.size:,} {r.page.rows}" if r.page.size else "-",
                    r.requests_per_s,
                    r.p50_ms,
                    r.p95_ms,
                    r.p99_ms,
                    f"{r.alone_p50_ms:.1f} / {r.alone_p95_ms:.1f}",
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


PARTS = {
    "fanout": fanout_part,
    "email-cost": email_cost_part,
    "locate": locate_part,
    "pages": pages_part,
}

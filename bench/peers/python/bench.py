#!/usr/bin/env python3
"""Python peer of the temporal-cpp client benchmark (see bench/README.md for the CLI contract).

    bench.py --address HOST:PORT --namespace default --task-queue TQ \
             --workload start|signal|query|execute|describe --n N --concurrency K [--workflow-type T]

Prints exactly one JSON line on stdout at the end; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import time
from typing import Awaitable, Callable, NoReturn

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy


def fatal(msg: str) -> NoReturn:
    print(f"bench-python: {msg}", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(1)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in (0,100]) of sorted values."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


async def run_ops(n: int, k: int, op: Callable[[int], Awaitable[None]]) -> tuple[list[float], int, float]:
    """Runs op(i) for i in [0,n) with k in flight; returns successful latencies (ms), errors, wall (s)."""
    lat: list[float] = []
    errors = 0
    next_i = 0

    async def loop() -> None:
        nonlocal errors, next_i
        while True:
            i = next_i
            next_i += 1
            if i >= n:
                return
            t0 = time.perf_counter()
            try:
                await op(i)
            except Exception as err:  # noqa: BLE001 - counted, first one reported
                if errors == 0:
                    print(f"bench-python: op {i} failed: {err!r}", file=sys.stderr, flush=True)
                errors += 1
                continue
            lat.append((time.perf_counter() - t0) * 1000.0)

    begin = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(min(k, n))))
    return lat, errors, time.perf_counter() - begin


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--address", default="127.0.0.1:7233")
    ap.add_argument("--namespace", default="default")
    ap.add_argument("--task-queue", default="bench")
    ap.add_argument("--workload", required=True, choices=["start", "signal", "query", "execute", "describe"])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--workflow-type", default="echo")
    args = ap.parse_args()
    if args.n < 1 or args.concurrency < 1:
        fatal("--n and --concurrency must be >= 1")

    try:
        client = await Client.connect(args.address, namespace=args.namespace)
    except Exception as err:  # noqa: BLE001
        fatal(f"connect {args.address}: {err!r}")

    prefix = f"bench-python-{args.workload}-{os.getpid()}-{time.time_ns()}"
    reuse = WorkflowIDReusePolicy.ALLOW_DUPLICATE
    long_running: list[str] = []

    async def terminate_all() -> None:
        for wid in long_running:
            try:
                await client.get_workflow_handle(wid).terminate(reason="benchmark done")
            except Exception as err:  # noqa: BLE001
                print(f"bench-python: terminate {wid}: {err!r}", file=sys.stderr, flush=True)

    async def start_long(count: int) -> None:
        for i in range(count):
            wid = f"{prefix}-sq-{i}"
            try:
                await client.start_workflow(
                    "signalsAndQueries", id=wid, task_queue=args.task_queue, id_reuse_policy=reuse
                )
            except Exception as err:  # noqa: BLE001
                await terminate_all()
                fatal(f"setup: start signalsAndQueries: {err!r}")
            long_running.append(wid)

    op: Callable[[int], Awaitable[None]]
    if args.workload == "start":

        async def op(i: int) -> None:
            await client.start_workflow(
                args.workflow_type, "x", id=f"{prefix}-{i}", task_queue=args.task_queue, id_reuse_policy=reuse
            )

    elif args.workload == "execute":

        async def op(i: int) -> None:
            out = await client.execute_workflow(
                "echo", "x", id=f"{prefix}-{i}", task_queue=args.task_queue, id_reuse_policy=reuse
            )
            if out != "x":
                raise RuntimeError(f"echo returned {out!r}")

    elif args.workload == "signal":
        await start_long(args.concurrency)
        handles = [client.get_workflow_handle(wid) for wid in long_running]

        async def op(i: int) -> None:
            await handles[i % len(handles)].signal("add", "m")

    elif args.workload == "query":
        await start_long(1)
        handle = client.get_workflow_handle(long_running[0])
        # Warm-up query (setup): waits for the worker to run the first workflow task.
        try:
            await handle.query("getMessages")
        except Exception as err:  # noqa: BLE001
            await terminate_all()
            fatal(f"setup: warm-up query: {err!r}")

        async def op(i: int) -> None:
            await handle.query("getMessages")

    else:  # describe
        await start_long(1)
        handle = client.get_workflow_handle(long_running[0])

        async def op(i: int) -> None:
            await handle.describe()

    lat, errors, seconds = await run_ops(args.n, args.concurrency, op)
    await terminate_all()

    lat.sort()
    result = {
        "client": "python",
        "workload": args.workload,
        "n": args.n,
        "concurrency": args.concurrency,
        "seconds": seconds,
        "ops_per_sec": len(lat) / seconds,
        "p50_ms": percentile(lat, 50),
        "p99_ms": percentile(lat, 99),
        "errors": errors,
    }
    print(json.dumps(result), flush=True)
    return 1 if errors == args.n else 0


if __name__ == "__main__":
    code = asyncio.run(main())
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter finalization: the SDK's native runtime threads can abort it
    # ("PyGILState_Release: thread state ... must be current") after the result is printed.
    os._exit(code)

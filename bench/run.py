#!/usr/bin/env python3
"""Benchmarks the temporal-cpp client against the Go, TypeScript and Python clients in one run.

Usually started through bench/run.sh, which builds the peers first. Starts one dev server and the
TypeScript worker (tests/interop/ts) on task queue `bench`, then for each workload and concurrency
runs each client program in turn as a subprocess (CLI contract: bench/README.md) and measures

  * the program's own JSON line (ops/s, p50/p99 latency of the measured phase, errors),
  * client CPU seconds (utime+stime from os.wait4's rusage) per 1000 ops, also net of the
    client's start-up/setup cost (a calibration run with --n 1 per client),
  * server (and worker) CPU seconds per 1000 ops, from /proc/<pid>/stat before/after the run,
  * client peak RSS (ru_maxrss).

Writes bench/results/<date>-full.{json,md,png} (--smoke: bench/results/raw/<date>-smoke.*, gitignored);
child logs go to bench/results/raw/<date>-<mode>/.
Standard library only, plus matplotlib for the chart (skipped with a note when missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Optional

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TASK_QUEUE = "bench"
NAMESPACE = "default"
WORKLOADS = ["start", "signal", "query", "execute", "describe"]
ALL_CLIENTS = ["cpp", "go", "ts", "python"]
MODES: dict[str, dict[str, Any]] = {
    "smoke": {"ks": [1, 16], "n": {w: 20 for w in WORKLOADS}, "rounds": 1},
    "full": {
        "ks": [1, 16, 64, 256],
        "rounds": 3,
        "n": {"start": 1000, "signal": 1000, "query": 1000, "describe": 1000, "execute": 500},
    },
}
DYNAMIC_CONFIG = [
    "frontend.enableUpdateWorkflowExecution=true",
    "frontend.enableUpdateWorkflowExecutionAsyncAccepted=true",
    "frontend.enableExecuteMultiOperation=true",
    "system.enableEagerWorkflowStart=true",
    "frontend.enableServerVersionCheck=false",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------


def proc_cpu_seconds(pid: int) -> float:
    """utime+stime (seconds) of pid and all its live descendants; 0 for a vanished process."""
    children: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                raw = f.read().decode(errors="replace")
        except OSError:
            continue
        # Fields after the parenthesised comm: state ppid ... utime(14) stime(15) (1-based).
        rest = raw[raw.rfind(")") + 2 :].split()
        ppid, utime, stime = int(rest[1]), int(rest[11]), int(rest[12])
        p = int(entry)
        stats[p] = (utime, stime)
        children.setdefault(ppid, []).append(p)
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            total += stats[p][0] + stats[p][1]
        todo.extend(children.get(p, []))
    return total / CLK_TCK


def kill_group(p: Optional[subprocess.Popen], name: str, grace: float = 10.0) -> None:
    """SIGTERM the process group of p (started with start_new_session), then SIGKILL."""
    if p is None or p.poll() is not None:
        return
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        p.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        log(f"run.py: {name} did not stop on SIGTERM, killing")
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_temporal_cli() -> str:
    candidates = [os.environ.get("TEMPORAL_CLI", ""), str(ROOT / ".venv/bin/temporal"), "/tmp/tvenv/bin/temporal"]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    found = shutil.which("temporal")
    if found:
        return found
    raise SystemExit("run.py: no Temporal CLI found (run scripts/setup.sh, or set TEMPORAL_CLI)")


def start_server(cli: str, workdir: Path, logdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    address = f"127.0.0.1:{port}"
    cmd = [
        cli, "server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", str(port),
        "--db-filename", str(workdir / "bench.db"), "--sqlite-pragma", "journal_mode=wal",
        "--log-level", "warn",
    ]
    for dc in DYNAMIC_CONFIG:
        cmd += ["--dynamic-config-value", dc]
    out = open(logdir / "server.log", "wb")
    server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"dev server exited with {server.returncode} (see {logdir / 'server.log'})")
        ok = subprocess.run(
            [cli, "operator", "namespace", "describe", "--address", address, "-n", NAMESPACE],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ).returncode == 0
        if ok:
            return server, address
        if time.monotonic() > deadline:
            raise RuntimeError("dev server not ready after 60 s")
        time.sleep(0.2)


def start_worker(address: str, logdir: Path, timeout: float = 900) -> subprocess.Popen:
    env = dict(os.environ, TEMPORAL_ADDRESS=address, TEMPORAL_NAMESPACE=NAMESPACE, TASK_QUEUE=TASK_QUEUE)
    err = open(logdir / "worker.log", "wb")
    worker = subprocess.Popen([str(ROOT / "tests/interop/ts/run.sh")], env=env, stdout=subprocess.PIPE,
                              stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
    ready = threading.Event()

    def drain() -> None:
        assert worker.stdout is not None
        for line in worker.stdout:
            if line.strip() == b"worker ready":
                ready.set()
            else:
                err.write(line)
                err.flush()

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.wait(0.2):
        if worker.poll() is not None:
            raise RuntimeError(f"TypeScript worker exited with {worker.returncode} (see {logdir / 'worker.log'})")
        if time.monotonic() > deadline:
            raise RuntimeError("TypeScript worker not ready in time")
    return worker


def wait_quiescent(pids: list[int], max_wait: float = 120.0, window: float = 0.5, busy: float = 0.10) -> float:
    """Waits until server+worker use < busy cores over a window (e.g. the worker finishing the
    workflows a `start` run left behind). Returns the seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < max_wait:
        c0 = sum(proc_cpu_seconds(p) for p in pids)
        time.sleep(window)
        c1 = sum(proc_cpu_seconds(p) for p in pids)
        if (c1 - c0) / window < busy:
            break
    return time.monotonic() - t0


# ---------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------


def client_command(client: str, cpp_bin: Path) -> Optional[list[str]]:
    """argv prefix of a client program, or None when it is not built."""
    if client == "cpp":
        return [str(cpp_bin)] if os.access(cpp_bin, os.X_OK) else None
    if client == "go":
        exe = BENCH / "peers/go/bench-go"
        return [str(exe)] if os.access(exe, os.X_OK) else None
    if client == "ts":
        js = BENCH / "peers/ts/lib/bench.js"
        node = shutil.which("node")
        return [node, str(js)] if js.exists() and node else None
    if client == "python":
        py = BENCH / ".venv-py/bin/python"
        return [str(py), str(BENCH / "peers/python/bench.py")] if py.exists() else None
    raise ValueError(client)


def run_client(argv: list[str], timeout: float, logpath: Path, watch: list[int]) -> dict[str, Any]:
    """Runs one client program; returns its JSON result plus rusage and CPU measurements."""
    cpu0 = {p: proc_cpu_seconds(p) for p in watch}
    t0 = time.monotonic()
    with open(logpath, "ab") as errlog:
        errlog.write(("$ " + " ".join(argv) + "\n").encode())
        errlog.flush()
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errlog, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        timed_out = threading.Event()

        def on_timeout() -> None:
            timed_out.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, on_timeout)
        timer.start()
        try:
            assert p.stdout is not None
            out = p.stdout.read()
            _, status, ru = os.wait4(p.pid, 0)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): take the client down too
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
            raise
        finally:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stdout.close()
    wall = time.monotonic() - t0
    cpu1 = {pid: proc_cpu_seconds(pid) for pid in watch}
    rec: dict[str, Any] = {
        "exit_code": p.returncode,
        "wall_total_s": wall,
        "client_cpu_s": ru.ru_utime + ru.ru_stime,
        "peak_rss_mib": ru.ru_maxrss / 1024.0,
        "watched_cpu_s": [cpu1[pid] - cpu0[pid] for pid in watch],
    }
    lines = [ln for ln in out.decode(errors="replace").splitlines() if ln.strip()]
    if timed_out.is_set():
        rec["failure"] = f"timed out after {timeout:.0f} s"
    elif p.returncode != 0:
        rec["failure"] = f"exit code {p.returncode}"
    if len(lines) != 1:
        rec.setdefault("failure", f"expected one stdout line, got {len(lines)}")
    else:
        try:
            rec["result"] = json.loads(lines[0])
        except json.JSONDecodeError as e:
            rec.setdefault("failure", f"bad JSON line: {e}")
    return rec


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


def median_row(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median ops/s of one client's rounds in one cell (a failed round wins, so
    that it is reported), with every round's ops/s and the error total attached."""
    failed = [r for r in runs if r.get("failure")]
    if failed:
        row = dict(failed[0])
    else:
        ranked = sorted(runs, key=lambda r: r.get("ops_per_sec") or 0.0)
        row = dict(ranked[(len(ranked) - 1) // 2])
        row["errors"] = sum(r.get("errors") or 0 for r in runs)
    row["rounds"] = len(runs)
    row["ops_per_sec_rounds"] = [r.get("ops_per_sec") for r in runs]
    return row


def fmt(v: Optional[float], digits: int = 1) -> str:
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


TABLE_HEAD = [
    "client", "workload", "K", "ops/s", "p50 ms", "p99 ms", "errors", "client CPU s/1k",
    "net client CPU s/1k", "server CPU s/1k", "peak RSS MiB", "ops/s vs cpp",
]


def table_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    cpp_ops = {(r["workload"], r["concurrency"]): r.get("ops_per_sec") for r in rows if r["client"] == "cpp"}
    out = []
    for r in rows:
        base = cpp_ops.get((r["workload"], r["concurrency"]))
        ops = r.get("ops_per_sec")
        ratio = f"{ops / base:.2f}x" if ops is not None and base else "-"
        if r.get("failure"):
            out.append([r["client"], r["workload"], str(r["concurrency"]), "FAILED: " + r["failure"]]
                       + [""] * (len(TABLE_HEAD) - 4))
            continue
        out.append([
            r["client"], r["workload"], str(r["concurrency"]), fmt(ops), fmt(r["p50_ms"], 2),
            fmt(r["p99_ms"], 2), str(r["errors"]), fmt(r["client_cpu_s_per_1k"], 3),
            fmt(r.get("net_client_cpu_s_per_1k"), 3), fmt(r["server_cpu_s_per_1k"], 3),
            fmt(r["peak_rss_mib"], 1), ratio,
        ])
    return out


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(TABLE_HEAD)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(TABLE_HEAD, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    return "\n".join(lines)


def md_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(TABLE_HEAD) + " |", "|" + "|".join("---" for _ in TABLE_HEAD) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def write_chart(rows: list[dict[str, Any]], clients: list[str], workloads: list[str], ks: list[int],
                path: Path, title: str) -> Optional[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no chart"
    present = [c for c in clients if any(r["client"] == c and r.get("ops_per_sec") for r in rows)]
    if not present:
        return "no successful runs: no chart"
    colors = {"cpp": "#1f77b4", "go": "#2ca02c", "ts": "#ff7f0e", "python": "#9467bd"}
    cols = min(3, len(workloads))
    nrows = (len(workloads) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(5.2 * cols, 3.9 * nrows), squeeze=False)
    width = 0.8 / len(present)
    for idx, w in enumerate(workloads):
        ax = axes[idx // cols][idx % cols]
        for ci, c in enumerate(present):
            vals = []
            for k in ks:
                match = [r for r in rows if r["client"] == c and r["workload"] == w and r["concurrency"] == k]
                vals.append(match[0].get("ops_per_sec") or 0.0 if match else 0.0)
            xs = [i + (ci - (len(present) - 1) / 2) * width for i in range(len(ks))]
            ax.bar(xs, vals, width, label=c, color=colors.get(c))
        ax.set_title(w)
        ax.set_xticks(range(len(ks)), [f"K={k}" for k in ks])
        ax.set_ylabel("ops/s")
        ax.grid(axis="y", alpha=0.3)
    for idx in range(len(workloads), nrows * cols):
        axes[idx // cols][idx % cols].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if len(workloads) < nrows * cols:  # a spare panel: the legend goes there
        axes[-1][-1].legend(handles, labels, loc="center", title="client", fontsize="large")
    else:
        fig.legend(handles, labels, loc="upper right", ncol=len(present))
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def read_versions(cli: str) -> dict[str, str]:
    v: dict[str, str] = {}
    m = re.search(r"go\.temporal\.io/sdk (v\S+)", (BENCH / "peers/go/go.mod").read_text())
    v["go"] = f"go.temporal.io/sdk {m.group(1) if m else '?'}"
    pkg = json.loads((BENCH / "peers/ts/package.json").read_text())
    v["ts"] = f"@temporalio/client {pkg['dependencies']['@temporalio/client']}"
    m = re.search(r"^temporalio==(\S+)", (BENCH / "peers/python/requirements.txt").read_text(), re.M)
    v["python"] = f"temporalio {m.group(1) if m else '?'}"
    v["cpp"] = "temporal-cpp (this repository)"
    try:
        v["server"] = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        v["server"] = "?"
    tools = {"go": ["go", "version"], "node": ["node", "--version"]}
    for name, cmd in tools.items():
        try:
            v[name + "_toolchain"] = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            pass
    v["python_toolchain"] = platform.python_version()
    return v


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--smoke", action="store_const", const="smoke", dest="mode", help="K in {1,16}, N=20")
    mode.add_argument("--full", action="store_const", const="full", dest="mode",
                      help="K in {1,16,64,256}, N=2000 (execute: 500); the default")
    ap.add_argument("--clients", default=",".join(ALL_CLIENTS), help="comma list of cpp,go,ts,python")
    ap.add_argument("--workloads", default=",".join(WORKLOADS), help="comma list of " + ",".join(WORKLOADS))
    ap.add_argument("--ks", help="comma list of concurrencies (overrides the mode's)")
    ap.add_argument("--n", type=int, help="operations per run for every workload (overrides the mode's)")
    ap.add_argument("--cpp-bin", default=str(ROOT / "build/bench/cpp/bench_client"),
                    help="C++ client program (default build/bench/cpp/bench_client)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed for one client run")
    ap.add_argument("--out-dir", help="where the .json/.md/.png go (default: bench/results for --full, "
                    "bench/results/raw (gitignored) otherwise)")
    ap.add_argument("--name", help="result file stem (default <date>-<mode>)")
    ap.add_argument("--rounds", type=int,
                    help="runs per client and cell, the client order rotated each round; the table shows "
                         "the run with the median ops/s (default: full 3, smoke 1)")
    ap.add_argument("--no-calibrate", action="store_true",
                    help="skip the per-client start-up CPU calibration run (--n 1)")
    ap.add_argument("--strict", action="store_true",
                    help="also exit 1 when a client is missing or any operation failed (errors > 0); for CI")
    args = ap.parse_args()
    args.mode = args.mode or "full"

    cfg = MODES[args.mode]
    ks = [int(k) for k in args.ks.split(",")] if args.ks else cfg["ks"]
    ns = {w: args.n for w in WORKLOADS} if args.n else cfg["n"]
    rounds = args.rounds or cfg["rounds"]
    if rounds < 1:
        ap.error("--rounds must be >= 1")
    workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    for w in workloads:
        if w not in WORKLOADS:
            ap.error(f"unknown workload {w}")
    clients: list[str] = []
    for c in (c.strip() for c in args.clients.split(",") if c.strip()):
        if c not in ALL_CLIENTS:
            ap.error(f"unknown client {c}")
        clients.append(c)
    cpp_bin = Path(args.cpp_bin)
    if not cpp_bin.is_absolute():
        cpp_bin = ROOT / cpp_bin

    commands: dict[str, list[str]] = {}
    notes: list[str] = []
    for c in clients:
        cmd = client_command(c, cpp_bin)
        if cmd is None:
            where = {"cpp": str(cpp_bin), "go": "bench/peers/go/bench-go", "ts": "bench/peers/ts/lib/bench.js",
                     "python": "bench/.venv-py"}[c]
            note = f"client {c} skipped: {where} is missing"
            if c != "cpp":
                note += " (bench/run.sh builds it)"
            notes.append(note)
            log("run.py: " + note)
            continue
        commands[c] = cmd
    if not commands:
        log("run.py: no client to run")
        return 2
    clients = [c for c in clients if c in commands]

    stamp = dt.datetime.now()
    name = args.name or f"{stamp:%Y-%m-%d}-{args.mode}"
    # Only --full results are meant to be committed; smoke runs stay in the gitignored raw dir.
    out_dir = Path(args.out_dir) if args.out_dir else BENCH / "results" / ("" if args.mode == "full" else "raw")
    out_dir.mkdir(parents=True, exist_ok=True)
    rawdir = (out_dir if out_dir.name == "raw" else out_dir / "raw") / name
    if rawdir.exists():
        shutil.rmtree(rawdir)
    rawdir.mkdir(parents=True)
    cli = find_temporal_cli()
    versions = read_versions(cli)
    workdir = Path(tempfile.mkdtemp(prefix="temporal-bench-"))

    server = worker = None
    rows: list[dict[str, Any]] = []
    calibration: dict[str, dict[str, Any]] = {}
    t_begin = time.monotonic()
    try:
        log(f"run.py: starting dev server ({cli})")
        server, address = start_server(cli, workdir, rawdir)
        log(f"run.py: dev server on {address}; starting the TypeScript worker (task queue {TASK_QUEUE})")
        worker = start_worker(address, rawdir)
        watch = [server.pid, worker.pid]
        log("run.py: worker ready")
        base = ["--address", address, "--namespace", NAMESPACE, "--task-queue", TASK_QUEUE]

        if not args.no_calibrate:
            # Start-up + setup cost of each client (process start, runtime load, connect, one
            # describe of a started and terminated workflow): subtracted for the net CPU column.
            for c in clients:
                argv = commands[c] + base + ["--workload", "describe", "--n", "1", "--concurrency", "1"]
                rec = run_client(argv, args.timeout, rawdir / f"{c}.log", watch)
                if rec.get("failure"):
                    log(f"run.py: calibration of {c} failed: {rec['failure']}")
                else:
                    calibration[c] = {"client_cpu_s": rec["client_cpu_s"], "peak_rss_mib": rec["peak_rss_mib"],
                                      "wall_total_s": rec["wall_total_s"]}
                    log(f"run.py: {c} start-up: {rec['client_cpu_s']:.3f} CPU s, {rec['wall_total_s']:.2f} s wall")
            wait_quiescent(watch)

        def measure(c: str, w: str, k: int, n: int, r: int) -> dict[str, Any]:
            argv = commands[c] + base + ["--workload", w, "--n", str(n), "--concurrency", str(k)]
            rec = run_client(argv, args.timeout, rawdir / f"{c}.log", watch)
            row: dict[str, Any] = {"client": c, "workload": w, "concurrency": k, "n": n, "round": r + 1}
            res = rec.get("result") or {}
            srv_cpu, wrk_cpu = rec["watched_cpu_s"]
            row.update({
                "seconds": res.get("seconds"),
                "ops_per_sec": res.get("ops_per_sec"),
                "p50_ms": res.get("p50_ms"),
                "p99_ms": res.get("p99_ms"),
                "errors": res.get("errors"),
                "exit_code": rec["exit_code"],
                "wall_total_s": rec["wall_total_s"],
                "client_cpu_s": rec["client_cpu_s"],
                "client_cpu_s_per_1k": rec["client_cpu_s"] * 1000 / n,
                "server_cpu_s": srv_cpu,
                "server_cpu_s_per_1k": srv_cpu * 1000 / n,
                "worker_cpu_s": wrk_cpu,
                "worker_cpu_s_per_1k": wrk_cpu * 1000 / n,
                "peak_rss_mib": rec["peak_rss_mib"],
            })
            if c in calibration:
                net = max(0.0, rec["client_cpu_s"] - calibration[c]["client_cpu_s"])
                row["net_client_cpu_s_per_1k"] = net * 1000 / n
            if rec.get("failure"):
                row["failure"] = rec["failure"]
            elif res.get("client") != c or res.get("workload") != w or res.get("n") != n \
                    or res.get("concurrency") != k:
                row["failure"] = "JSON line does not echo client/workload/n/concurrency"
            return row

        if args.mode == "full":
            # Warm-up, not measured: the first runs against a fresh server are slower (its caches,
            # the SQLite file, the worker's first tasks), which would penalize whoever runs first.
            for w in ("start", "signal"):
                argv = commands[clients[0]] + base + ["--workload", w, "--n", "200", "--concurrency", "16"]
                rec = run_client(argv, args.timeout, rawdir / "warmup.log", watch)
                log(f"run.py: warm-up {clients[0]} {w}: " + (rec.get("failure") or "done"))
                wait_quiescent(watch)

        total = len(workloads) * len(ks) * len(clients) * rounds
        done = 0
        for w in workloads:
            for k in ks:
                cell: dict[str, list[dict[str, Any]]] = {c: [] for c in clients}
                for r in range(rounds):
                    # Each round starts with the next client, so no client is always first.
                    order = clients[r % len(clients):] + clients[:r % len(clients)]
                    for c in order:
                        done += 1
                        row = measure(c, w, k, ns[w], r)
                        cell[c].append(row)
                        waited = wait_quiescent(watch)
                        status = row.get("failure") or (
                            f"{row['ops_per_sec']:.1f} ops/s p50 {row['p50_ms']:.2f} ms p99 {row['p99_ms']:.2f} ms "
                            f"errors {row['errors']}")
                        log(f"run.py: [{done}/{total}] {c:6} {w:8} K={k:<3} n={ns[w]} round {r + 1}: {status} "
                            f"({row['wall_total_s']:.1f} s, settled {waited:.1f} s)")
                for c in clients:
                    rows.append(median_row(cell[c]))
    finally:
        kill_group(worker, "worker")
        kill_group(server, "server")
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - t_begin

    meta = {
        "date": stamp.isoformat(timespec="seconds"),
        "mode": args.mode,
        "ks": ks,
        "n": {w: ns[w] for w in workloads},
        "rounds": rounds,
        "workloads": workloads,
        "clients": clients,
        "elapsed_s": elapsed,
        "machine": {"cpus": os.cpu_count(), "cpu_model": cpu_model(), "kernel": platform.release()},
        "versions": versions,
        "calibration": calibration,
        "notes": notes,
    }
    trows = table_rows(rows)
    table = text_table(trows)
    print(table)
    for note in notes:
        print("note: " + note)

    (out_dir / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    chart_note = write_chart(rows, clients, workloads, ks, out_dir / f"{name}.png",
                             f"temporal client benchmark ({args.mode}, {stamp:%Y-%m-%d}): ops/s")
    if chart_note:
        notes.append(chart_note)
        print("note: " + chart_note)
    md = [
        f"# Client benchmark: {args.mode}, {stamp:%Y-%m-%d %H:%M}",
        "",
        f"Machine: {meta['machine']['cpus']} CPUs ({meta['machine']['cpu_model']}), Linux "
        f"{meta['machine']['kernel']}. One dev server (SQLite, WAL) and one TypeScript worker "
        f"(task queue `{TASK_QUEUE}`) share the machine with the client under test.",
        "",
        "Versions: " + "; ".join(f"{k}: {v}" for k, v in versions.items()),
        "",
        "N per run: " + ", ".join(f"{w} {ns[w]}" for w in workloads) + f"; K in {ks}; {rounds} "
        f"round(s) per client and cell, the client order rotated each round. Total time {elapsed / 60:.1f} min.",
        "",
        md_table(trows),
        "",
        "Each row is the client's round with the median ops/s in that cell (all rounds' ops/s are "
        "in the JSON); errors are summed over the rounds. "
        "Columns: ops/s, p50 and p99 come from the client program (measured phase only). Client CPU "
        "is utime+stime of the whole client process (start-up and setup included) per 1000 ops; "
        "'net' subtracts the client's start-up cost measured by a `describe --n 1` run. Server CPU "
        "is the dev server's CPU during the client run per 1000 ops (it includes the server work for "
        "the TypeScript worker's tasks). Peak RSS is the client's ru_maxrss. 'ops/s vs cpp' is this "
        "client's ops/s divided by the C++ client's for the same workload and K.",
        "",
    ]
    if calibration:
        md.append("Start-up calibration (`describe --n 1`): " + "; ".join(
            f"{c} {v['client_cpu_s']:.3f} CPU s, {v['peak_rss_mib']:.1f} MiB, {v['wall_total_s']:.2f} s wall"
            for c, v in calibration.items()))
        md.append("")
    if not chart_note:
        md += [f"![ops/s per workload and K]({name}.png)", ""]
    md += [f"Note: {n}" for n in notes]
    (out_dir / f"{name}.md").write_text("\n".join(md).rstrip() + "\n")
    log(f"run.py: wrote {out_dir / name}.json, .md" + ("" if chart_note else ", .png")
        + f"; logs in {rawdir}; total {elapsed:.0f} s")
    failed = [r for r in rows if r.get("failure")]
    if args.strict:
        failed += [r for r in rows if not r.get("failure") and r.get("errors")]
        missing = [c for c in args.clients.split(",") if c.strip() and c.strip() not in commands]
        if missing:
            log(f"run.py: --strict: client(s) {','.join(missing)} missing")
            return 1
    for r in failed:
        log(f"run.py: FAILED {r['client']} {r['workload']} K={r['concurrency']}: "
            f"{r.get('failure') or str(r['errors']) + ' errors'}")
    return 1 if failed else 0


if __name__ == "__main__":
    # SIGTERM/SIGHUP unwind like Ctrl-C, so the finally block stops the server and worker.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    sys.exit(main())

// Go peer of the temporal-cpp client benchmark (see bench/README.md for the CLI contract).
//
// Usage:
//
//	bench-go --address HOST:PORT --namespace default --task-queue TQ \
//	         --workload start|signal|query|execute|describe --n N --concurrency K [--workflow-type T]
//
// Prints exactly one JSON line on stdout at the end; everything else goes to stderr.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
)

type result struct {
	Client      string  `json:"client"`
	Workload    string  `json:"workload"`
	N           int     `json:"n"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	OpsPerSec   float64 `json:"ops_per_sec"`
	P50Ms       float64 `json:"p50_ms"`
	P99Ms       float64 `json:"p99_ms"`
	Errors      int     `json:"errors"`
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench-go: "+format+"\n", args...)
	os.Exit(1)
}

// percentile returns the nearest-rank percentile (p in (0,100]) of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

// runOps runs op(i) for i in [0,n) on k goroutines and returns the per-op latencies (ms) of the
// successful ops, the error count and the wall time of the whole phase.
func runOps(n, k int, op func(i int) error) ([]float64, int, time.Duration) {
	lat := make([]float64, n)
	ok := make([]bool, n)
	var next int64 = -1
	var errs int64
	var firstErr sync.Once
	var wg sync.WaitGroup
	begin := time.Now()
	for w := 0; w < k; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= n {
					return
				}
				t0 := time.Now()
				err := op(i)
				lat[i] = float64(time.Since(t0).Nanoseconds()) / 1e6
				if err != nil {
					atomic.AddInt64(&errs, 1)
					firstErr.Do(func() { fmt.Fprintf(os.Stderr, "bench-go: op %d failed: %v\n", i, err) })
					continue
				}
				ok[i] = true
			}
		}()
	}
	wg.Wait()
	wall := time.Since(begin)
	out := make([]float64, 0, n)
	for i := range lat {
		if ok[i] {
			out = append(out, lat[i])
		}
	}
	return out, int(errs), wall
}

func main() {
	address := flag.String("address", "127.0.0.1:7233", "frontend HOST:PORT")
	namespace := flag.String("namespace", "default", "namespace")
	taskQueue := flag.String("task-queue", "bench", "task queue served by the TypeScript worker")
	workload := flag.String("workload", "start", "start|signal|query|execute|describe")
	n := flag.Int("n", 100, "number of measured operations")
	k := flag.Int("concurrency", 1, "operations in flight")
	wfType := flag.String("workflow-type", "echo", "workflow type for the start workload")
	flag.Parse()
	if *n < 1 || *k < 1 {
		fatalf("--n and --concurrency must be >= 1")
	}

	logger := tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	c, err := client.Dial(client.Options{HostPort: *address, Namespace: *namespace, Logger: logger})
	if err != nil {
		fatalf("connect %s: %v", *address, err)
	}
	defer c.Close()

	ctx := context.Background()
	prefix := fmt.Sprintf("bench-go-%s-%d-%d", *workload, os.Getpid(), time.Now().UnixNano())
	startOpts := func(id string) client.StartWorkflowOptions {
		return client.StartWorkflowOptions{
			ID:                    id,
			TaskQueue:             *taskQueue,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		}
	}
	// Long-running workflows started in setup; terminated at the end whatever happens.
	var longRunning []string
	startLong := func(count int) {
		for i := 0; i < count; i++ {
			id := fmt.Sprintf("%s-sq-%d", prefix, i)
			if _, err := c.ExecuteWorkflow(ctx, startOpts(id), "signalsAndQueries"); err != nil {
				terminate(c, longRunning)
				fatalf("setup: start signalsAndQueries: %v", err)
			}
			longRunning = append(longRunning, id)
		}
	}

	var op func(i int) error
	switch *workload {
	case "start":
		op = func(i int) error {
			_, err := c.ExecuteWorkflow(ctx, startOpts(fmt.Sprintf("%s-%d", prefix, i)), *wfType, "x")
			return err
		}
	case "execute":
		op = func(i int) error {
			run, err := c.ExecuteWorkflow(ctx, startOpts(fmt.Sprintf("%s-%d", prefix, i)), "echo", "x")
			if err != nil {
				return err
			}
			var out string
			if err := run.Get(ctx, &out); err != nil {
				return err
			}
			if out != "x" {
				return fmt.Errorf("echo returned %q", out)
			}
			return nil
		}
	case "signal":
		startLong(*k)
		op = func(i int) error {
			return c.SignalWorkflow(ctx, longRunning[i%len(longRunning)], "", "add", "m")
		}
	case "query":
		startLong(1)
		// Warm-up query (setup): waits for the worker to run the first workflow task.
		if v, err := c.QueryWorkflow(ctx, longRunning[0], "", "getMessages"); err != nil {
			terminate(c, longRunning)
			fatalf("setup: warm-up query: %v", err)
		} else {
			var msgs []string
			_ = v.Get(&msgs)
		}
		op = func(i int) error {
			v, err := c.QueryWorkflow(ctx, longRunning[0], "", "getMessages")
			if err != nil {
				return err
			}
			var msgs []string
			return v.Get(&msgs)
		}
	case "describe":
		startLong(1)
		op = func(i int) error {
			_, err := c.DescribeWorkflowExecution(ctx, longRunning[0], "")
			return err
		}
	default:
		fatalf("unknown --workload %q", *workload)
	}

	lat, errs, wall := runOps(*n, *k, op)
	terminate(c, longRunning)

	sort.Float64s(lat)
	secs := wall.Seconds()
	res := result{
		Client: "go", Workload: *workload, N: *n, Concurrency: *k,
		Seconds:   secs,
		OpsPerSec: float64(len(lat)) / secs,
		P50Ms:     percentile(lat, 50),
		P99Ms:     percentile(lat, 99),
		Errors:    errs,
	}
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
	if errs == *n {
		os.Exit(1)
	}
}

func terminate(c client.Client, ids []string) {
	for _, id := range ids {
		if err := c.TerminateWorkflow(context.Background(), id, "", "benchmark done"); err != nil {
			fmt.Fprintf(os.Stderr, "bench-go: terminate %s: %v\n", id, err)
		}
	}
}

// TypeScript peer of the temporal-cpp client benchmark (see bench/README.md for the CLI contract).
//
//   node lib/bench.js --address HOST:PORT --namespace default --task-queue TQ \
//        --workload start|signal|query|execute|describe --n N --concurrency K [--workflow-type T]
//
// Prints exactly one JSON line on stdout at the end; everything else goes to stderr.
import { Client, Connection, WorkflowIdReusePolicy } from '@temporalio/client';

interface Args {
  address: string;
  namespace: string;
  taskQueue: string;
  workload: string;
  n: number;
  concurrency: number;
  workflowType: string;
}

function fatal(msg: string): never {
  process.stderr.write(`bench-ts: ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    address: '127.0.0.1:7233',
    namespace: 'default',
    taskQueue: 'bench',
    workload: 'start',
    n: 100,
    concurrency: 1,
    workflowType: 'echo',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) fatal(`missing value for ${flag}`);
    i++;
    switch (flag) {
      case '--address': a.address = value; break;
      case '--namespace': a.namespace = value; break;
      case '--task-queue': a.taskQueue = value; break;
      case '--workload': a.workload = value; break;
      case '--n': a.n = Number(value); break;
      case '--concurrency': a.concurrency = Number(value); break;
      case '--workflow-type': a.workflowType = value; break;
      default: fatal(`unknown flag ${flag}`);
    }
  }
  if (!Number.isInteger(a.n) || a.n < 1 || !Number.isInteger(a.concurrency) || a.concurrency < 1) {
    fatal('--n and --concurrency must be integers >= 1');
  }
  return a;
}

/** Nearest-rank percentile (p in (0,100]) of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Runs op(i) for i in [0,n) with k in flight; returns successful latencies (ms), errors, wall (s). */
async function runOps(
  n: number,
  k: number,
  op: (i: number) => Promise<void>
): Promise<{ lat: number[]; errors: number; seconds: number }> {
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const begin = process.hrtime.bigint();
  const loop = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t0 = process.hrtime.bigint();
      try {
        await op(i);
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        if (errors++ === 0) process.stderr.write(`bench-ts: op ${i} failed: ${String(err)}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(k, n) }, loop));
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  return { lat, errors, seconds };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: args.address });
  } catch (err) {
    fatal(`connect ${args.address}: ${String(err)}`);
  }
  const client = new Client({ connection, namespace: args.namespace });
  const prefix = `bench-ts-${args.workload}-${process.pid}-${Date.now()}`;
  const startOpts = (workflowId: string) => ({
    taskQueue: args.taskQueue,
    workflowId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });

  // Long-running workflows started in setup; terminated at the end whatever happens.
  const longRunning: string[] = [];
  const terminateAll = async (): Promise<void> => {
    for (const id of longRunning) {
      try {
        await client.workflow.getHandle(id).terminate('benchmark done');
      } catch (err) {
        process.stderr.write(`bench-ts: terminate ${id}: ${String(err)}\n`);
      }
    }
  };
  const startLong = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const id = `${prefix}-sq-${i}`;
      try {
        await client.workflow.start('signalsAndQueries', { ...startOpts(id), args: [] });
      } catch (err) {
        await terminateAll();
        fatal(`setup: start signalsAndQueries: ${String(err)}`);
      }
      longRunning.push(id);
    }
  };

  let op: (i: number) => Promise<void>;
  switch (args.workload) {
    case 'start':
      op = async (i) => {
        await client.workflow.start(args.workflowType, { ...startOpts(`${prefix}-${i}`), args: ['x'] });
      };
      break;
    case 'execute':
      op = async (i) => {
        const out = await client.workflow.execute('echo', { ...startOpts(`${prefix}-${i}`), args: ['x'] });
        if (out !== 'x') throw new Error(`echo returned ${JSON.stringify(out)}`);
      };
      break;
    case 'signal': {
      await startLong(args.concurrency);
      const handles = longRunning.map((id) => client.workflow.getHandle(id));
      op = async (i) => {
        await handles[i % handles.length].signal('add', 'm');
      };
      break;
    }
    case 'query': {
      await startLong(1);
      const handle = client.workflow.getHandle(longRunning[0]);
      // Warm-up query (setup): waits for the worker to run the first workflow task.
      try {
        await handle.query<string[]>('getMessages');
      } catch (err) {
        await terminateAll();
        fatal(`setup: warm-up query: ${String(err)}`);
      }
      op = async () => {
        await handle.query<string[]>('getMessages');
      };
      break;
    }
    case 'describe': {
      await startLong(1);
      const handle = client.workflow.getHandle(longRunning[0]);
      op = async () => {
        await handle.describe();
      };
      break;
    }
    default:
      fatal(`unknown --workload ${args.workload}`);
  }

  const { lat, errors, seconds } = await runOps(args.n, args.concurrency, op);
  await terminateAll();
  await connection.close();

  lat.sort((x, y) => x - y);
  const result = {
    client: 'ts',
    workload: args.workload,
    n: args.n,
    concurrency: args.concurrency,
    seconds,
    ops_per_sec: lat.length / seconds,
    p50_ms: percentile(lat, 50),
    p99_ms: percentile(lat, 99),
    errors,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(errors === args.n ? 1 : 0);
}

main().catch((err) => fatal(err instanceof Error ? (err.stack ?? err.message) : String(err)));

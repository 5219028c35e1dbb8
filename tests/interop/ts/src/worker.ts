// TypeScript Temporal worker hosting the interop test workflows.
//
// Environment:
//   TEMPORAL_ADDRESS   (default localhost:7233)
//   TEMPORAL_NAMESPACE (default 'default')
//   TASK_QUEUE         (default 'ts-interop')
//   LOG_LEVEL          (default WARN; SDK logs go to stderr)
//
// Prints exactly the line `worker ready` on stdout once the worker is running.
// SIGTERM/SIGINT trigger a graceful shutdown (exit code 0).
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import * as activities from './activities';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS || 'localhost:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const taskQueue = process.env.TASK_QUEUE || 'ts-interop';
  const logLevel = (process.env.LOG_LEVEL || 'WARN').toUpperCase() as LogLevel;

  // Keep stdout for the readiness line only; SDK logs go to stderr.
  Runtime.install({
    logger: new DefaultLogger(logLevel, (entry) => {
      const meta = entry.meta && Object.keys(entry.meta).length ? ' ' + safeJson(entry.meta) : '';
      process.stderr.write(`[${entry.level}] ${entry.message}${meta}\n`);
    }),
    // The Runtime installs SIGINT/SIGTERM/SIGQUIT/SIGUSR2 handlers that call
    // shutdown() on every worker; run() then resolves.
    shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'],
  });

  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities,
      interceptors: {
        workflowModules: [require.resolve('./interceptors')],
      },
    });
    const running = worker.run();
    process.stdout.write('worker ready\n');
    await running;
  } finally {
    await connection.close();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_key, value) =>
      value instanceof Error ? { name: value.name, message: value.message } : value
    );
  } catch {
    return String(v);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
);

// Small TypeScript Temporal client used by interop tests in the reverse
// direction (TS client -> C++ worker), and to inspect workflows.
//
// Usage (env: TEMPORAL_ADDRESS default localhost:7233, TEMPORAL_NAMESPACE default 'default'):
//   node lib/client.js result      <workflowId> [runId] [--no-follow]
//   node lib/client.js describe    <workflowId> [runId]
//   node lib/client.js start       <workflowType> <taskQueue> <workflowId> <jsonArgsArray> [jsonOptions]
//   node lib/client.js start-async <workflowType> <taskQueue> <workflowId> <jsonArgsArray> [jsonOptions]
//   node lib/client.js execute     <workflowType> <taskQueue> <workflowId> <jsonArgsArray> [jsonOptions]
//   node lib/client.js signal-with-start <workflowType> <taskQueue> <workflowId> <signalName> <jsonSignalArgs>
//                                        [jsonArgsArray]
//   node lib/client.js signal      <workflowId> <signalName> [jsonArgsArray]
//   node lib/client.js query       <workflowId> <queryName>  [jsonArgsArray]
//   node lib/client.js update      <workflowId> <updateName> [jsonArgsArray]
//   node lib/client.js start-update  <workflowId> <updateName> [jsonArgsArray] [updateId]   (then awaits its result)
//   node lib/client.js update-result <workflowId> <updateId>
//   node lib/client.js update-with-start <workflowType> <taskQueue> <workflowId> <updateName> <jsonUpdateArgs>
//                                        [jsonArgsArray]
//   node lib/client.js cancel      <workflowId>
//   node lib/client.js terminate   <workflowId> [reason]
//   node lib/client.js worker      <taskQueue>
//
// `worker` runs a worker for the interop workflows (src/workflows.ts) that uses this client's data
// converter, i.e. the encryption codec when configured; it prints `worker ready` and runs until
// SIGTERM/SIGINT. (src/worker.ts is the plain worker the tests use by default.)
//
// Encryption (optional): with TEMPORAL_ENCRYPTION_KEY (64 hex digits) set, every command and the
// worker encode and decode payloads with an AES-256-GCM codec in the format of the TypeScript
// samples' encryption codec: metadata {encoding: binary/encrypted, encryption-key-id: <id>},
// data = 12-byte IV || ciphertext || 16-byte tag of the serialized temporal.api.common.v1.Payload.
// TEMPORAL_ENCRYPTION_KEY_ID names the key (default 'test-key').
//
// Prints a single JSON object on stdout. Exit code 0 on any handled outcome
// (including failures reported by the server), 1 on usage error, 2 when the
// server cannot be reached.
//
// JSON conventions: payloads are decoded with the default data converter;
// binary/plain values (Uint8Array) print as {"$bytes": "<base64>"}; an
// undefined value (binary/null payload, or no payload) prints as null;
// Date values print as ISO-8601 strings.
import {
  Client,
  Connection,
  QueryNotRegisteredError,
  QueryRejectedError,
  WithStartWorkflowOperation,
  WorkflowContinuedAsNewError,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type WorkflowStartOptions,
} from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  ServerFailure,
  TerminatedFailure,
  TimeoutFailure,
  defaultFailureConverter,
  defaultPayloadConverter,
  type Payload,
  type ProtoFailure,
  SearchAttributeType,
  ValueError,
  defineSearchAttributeKey,
  type PayloadCodec,
  type SearchAttributePair,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

class UsageError extends Error {}

const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM over the serialized Payload proto: the TypeScript samples' encryption codec format. */
class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly keyId: string,
    private readonly key: Buffer
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: Buffer.from(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: Buffer.from(this.keyId),
        },
        data: new Uint8Array(data),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!keyIdBytes) throw new ValueError('Unable to decrypt Payload without encryption key id');
      const keyId = Buffer.from(keyIdBytes).toString();
      if (keyId !== this.keyId) throw new ValueError(`Unknown encryption key id: ${keyId}`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('Encrypted payload is too short');
      const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** The codecs configured by the environment (empty: none). */
function codecsFromEnv(): PayloadCodec[] {
  const hex = process.env.TEMPORAL_ENCRYPTION_KEY;
  if (!hex) return [];
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new UsageError('TEMPORAL_ENCRYPTION_KEY must be 64 hex digits');
  return [new AesGcmCodec(process.env.TEMPORAL_ENCRYPTION_KEY_ID || 'test-key', Buffer.from(hex, 'hex'))];
}

let codecs: PayloadCodec[] = [];

/** One payload through the codecs (in reverse) and the default payload converter. */
async function decodePayload(payload: Payload | null | undefined): Promise<unknown> {
  if (!payload) return undefined;
  let decoded = [payload];
  for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
  return defaultPayloadConverter.fromPayload(decoded[0]);
}

const USAGE = `usage:
  client.js result      <workflowId> [runId] [--no-follow]
  client.js describe    <workflowId> [runId]
  client.js start       <workflowType> <taskQueue> <workflowId> <jsonArgsArray> [jsonOptions]
  client.js start-async <workflowType> <taskQueue> <workflowId> <jsonArgsArray> [jsonOptions]
  client.js execute     <workflowType> <taskQueue> <workflowId> <jsonArgsArray> [jsonOptions]
  client.js signal-with-start <workflowType> <taskQueue> <workflowId> <signalName> <jsonSignalArgs> [jsonArgsArray]
  client.js signal      <workflowId> <signalName> [jsonArgsArray]
  client.js query       <workflowId> <queryName> [jsonArgsArray]
  client.js update      <workflowId> <updateName> [jsonArgsArray]
  client.js start-update  <workflowId> <updateName> [jsonArgsArray] [updateId]
  client.js update-result <workflowId> <updateId>
  client.js update-with-start <workflowType> <taskQueue> <workflowId> <updateName> <jsonUpdateArgs> [jsonArgsArray]
  client.js cancel      <workflowId>
  client.js terminate   <workflowId> [reason]
  client.js worker      <taskQueue>`;

/** Converts decoded values to plain JSON-able values. */
function toJsonable(value: unknown, depth = 0): unknown {
  if (depth > 64) return '<too deep>';
  if (value === undefined || value === null) return null;
  if (value instanceof Uint8Array) {
    return { $bytes: Buffer.from(value).toString('base64') };
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => toJsonable(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = toJsonable(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Serializes an error and its cause chain. */
function errorToJson(err: unknown, depth = 0): Record<string, unknown> | null {
  if (err === undefined || err === null) return null;
  if (depth > 32) return { message: '<cause chain too deep>' };
  if (!(err instanceof Error)) return { message: String(err), failureType: typeof err };
  const out: Record<string, unknown> = {
    message: err.message,
    failureType: err.name || err.constructor?.name || 'Error',
  };
  if (err instanceof ApplicationFailure) {
    out.type = err.type ?? null;
    out.nonRetryable = err.nonRetryable ?? false;
    out.details = toJsonable(err.details ?? []);
    if (err.category) out.category = err.category;
  } else if (err instanceof ActivityFailure) {
    out.activityType = err.activityType;
    out.activityId = err.activityId ?? null;
    out.retryState = err.retryState ?? null;
  } else if (err instanceof ChildWorkflowFailure) {
    out.workflowType = err.workflowType;
    out.workflowId = err.execution?.workflowId ?? null;
    out.runId = err.execution?.runId ?? null;
    out.retryState = err.retryState ?? null;
  } else if (err instanceof CancelledFailure) {
    out.details = toJsonable(err.details ?? []);
  } else if (err instanceof TimeoutFailure) {
    out.timeoutType = err.timeoutType ?? null;
    out.lastHeartbeatDetails = toJsonable(err.lastHeartbeatDetails ?? null);
  } else if (err instanceof ServerFailure) {
    out.nonRetryable = err.nonRetryable;
  } else if (err instanceof TerminatedFailure) {
    // message only
  }
  const cause = (err as { cause?: unknown }).cause;
  out.cause = errorToJson(cause, depth + 1);
  return out;
}

/** Status for a WorkflowFailedError, based on the failure in its cause. */
function failedStatus(cause: unknown): string {
  if (cause instanceof CancelledFailure) return 'canceled';
  if (cause instanceof TerminatedFailure) return 'terminated';
  if (cause instanceof TimeoutFailure) return 'timed_out';
  return 'failed';
}

function parseJsonArray(text: string | undefined, what: string): unknown[] {
  if (text === undefined || text === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what}: invalid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new UsageError(`${what}: must be a JSON array`);
  return parsed;
}

function parseJsonObject(text: string | undefined, what: string): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what}: invalid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`${what}: must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function need(args: string[], min: number, max: number): void {
  if (args.length < min || args.length > max) throw new UsageError('wrong number of arguments');
}

/** The outcome of a WorkflowFailedError as `result` prints it (without the terminate details). */
function failedOutcome(err: WorkflowFailedError): Record<string, unknown> {
  return { status: failedStatus(err.cause), error: errorToJson(err.cause ?? err) };
}

/** An update's result, or its failure (validator rejection or failing handler). */
async function updateOutcome(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    return { status: 'ok', result: toJsonable(await run()) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      return { status: 'failed', error: errorToJson(err.cause ?? err) };
    }
    throw err;
  }
}

async function awaitResult(
  client: Client,
  workflowId: string,
  runId?: string,
  followRuns = true
): Promise<Record<string, unknown>> {
  const handle = client.workflow.getHandle(workflowId, runId, { followRuns });
  try {
    const result = await handle.result();
    return { status: 'completed', result: toJsonable(result) };
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      const out = failedOutcome(err);
      if (err.cause instanceof TerminatedFailure) {
        // TerminatedFailure carries only the reason; the details are in the close event.
        const history = await handle.fetchHistory();
        const events = history.events ?? [];
        const terminated = events[events.length - 1]?.workflowExecutionTerminatedEventAttributes;
        if (terminated) {
          out.reason = terminated.reason ?? '';
          const details: unknown[] = [];
          for (const p of terminated.details?.payloads ?? []) details.push(toJsonable(await decodePayload(p as Payload)));
          out.details = details;
        }
      }
      return out;
    }
    if (err instanceof WorkflowContinuedAsNewError) {
      // Only with --no-follow. When a run has a successor (cron, retry), the
      // server reports its close event as a continue-as-new; look at the
      // run's own history and report how that run itself closed.
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      const last = events[events.length - 1];
      const newExecutionRunId = err.newExecutionRunId;
      if (last?.workflowExecutionCompletedEventAttributes) {
        const payload = last.workflowExecutionCompletedEventAttributes.result?.payloads?.[0];
        const result = await decodePayload(payload as Payload | undefined);
        return { status: 'completed', result: toJsonable(result), newExecutionRunId };
      }
      if (last?.workflowExecutionFailedEventAttributes?.failure) {
        const cause = defaultFailureConverter.failureToError(
          last.workflowExecutionFailedEventAttributes.failure as ProtoFailure,
          defaultPayloadConverter
        );
        return { status: 'failed', error: errorToJson(cause), newExecutionRunId };
      }
      if (last?.workflowExecutionTimedOutEventAttributes) {
        return { status: 'timed_out', error: { message: 'Workflow execution timed out', cause: null }, newExecutionRunId };
      }
      return { status: 'continued_as_new', newExecutionRunId };
    }
    throw err;
  }
}

type Command = (client: Client, args: string[]) => Promise<Record<string, unknown>>;

const commands: Record<string, { min: number; max: number; run: Command }> = {
  result: {
    // `--no-follow` (anywhere after the command) stops at the given/latest run
    // instead of following continue-as-new, retry and cron successors.
    min: 1,
    max: 3,
    run: (client, args) => {
      const followRuns = !args.includes('--no-follow');
      const [workflowId, runId, ...rest] = args.filter((a) => a !== '--no-follow');
      if (workflowId === undefined || rest.length > 0) throw new UsageError('wrong number of arguments');
      return awaitResult(client, workflowId, runId || undefined, followRuns);
    },
  },
  describe: {
    min: 1,
    max: 2,
    run: async (client, [workflowId, runId]) => {
      const desc = await client.workflow.getHandle(workflowId, runId || undefined).describe();
      const searchAttributes: Record<string, unknown> = {};
      for (const pair of desc.typedSearchAttributes.getAll()) {
        searchAttributes[pair.key.name] = pair.value;
      }
      return {
        memo: toJsonable(desc.memo ?? {}),
        status: desc.status.name,
        workflowId: desc.workflowId,
        runId: desc.runId,
        type: desc.type,
        taskQueue: desc.taskQueue,
        historyLength: desc.historyLength,
        searchAttributes: toJsonable(searchAttributes),
        startTime: toJsonable(desc.startTime),
        closeTime: toJsonable(desc.closeTime ?? null),
      };
    },
  },
  start: {
    min: 4,
    max: 5,
    run: async (client, [workflowType, taskQueue, workflowId, jsonArgs, jsonOptions]) => {
      const handle = await startWorkflow(client, workflowType, taskQueue, workflowId, jsonArgs, jsonOptions);
      // Follows continue-as-new / retry / cron runs starting from the first run.
      const outcome = await awaitResult(client, workflowId, handle.firstExecutionRunId);
      return { ...outcome, workflowId, runId: handle.firstExecutionRunId };
    },
  },
  'start-async': {
    min: 4,
    max: 5,
    run: async (client, [workflowType, taskQueue, workflowId, jsonArgs, jsonOptions]) => {
      const handle = await startWorkflow(client, workflowType, taskQueue, workflowId, jsonArgs, jsonOptions);
      return { status: 'started', workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
    },
  },
  execute: {
    // WorkflowClient.execute (start, then the result), as opposed to `start` which starts and then
    // awaits through a second handle.
    min: 4,
    max: 5,
    run: async (client, [workflowType, taskQueue, workflowId, jsonArgs, jsonOptions]) => {
      try {
        const options = startOptions(taskQueue, workflowId, jsonArgs, jsonOptions);
        const result = await client.workflow.execute(workflowType, options);
        return { status: 'completed', result: toJsonable(result) };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return failedOutcome(err);
        throw err;
      }
    },
  },
  'signal-with-start': {
    min: 5,
    max: 6,
    run: async (client, [workflowType, taskQueue, workflowId, signalName, jsonSignalArgs, jsonArgs]) => {
      const handle = await client.workflow.signalWithStart(workflowType, {
        ...startOptions(taskQueue, workflowId, jsonArgs ?? '', undefined),
        signal: signalName,
        signalArgs: parseJsonArray(jsonSignalArgs, 'jsonSignalArgs'),
      });
      return { status: 'ok', workflowId: handle.workflowId, signaledRunId: handle.signaledRunId };
    },
  },
  signal: {
    min: 2,
    max: 3,
    run: async (client, [workflowId, name, jsonArgs]) => {
      const args = parseJsonArray(jsonArgs, 'jsonArgsArray');
      await client.workflow.getHandle(workflowId).signal(name, ...args);
      return { status: 'ok' };
    },
  },
  query: {
    min: 2,
    max: 3,
    run: async (client, [workflowId, name, jsonArgs]) => {
      const args = parseJsonArray(jsonArgs, 'jsonArgsArray');
      try {
        const result = await client.workflow.getHandle(workflowId).query(name, ...args);
        return { status: 'ok', result: toJsonable(result) };
      } catch (err) {
        // A failing query handler surfaces as QueryNotRegisteredError (gRPC
        // INVALID_ARGUMENT) carrying the handler's message.
        if (err instanceof QueryNotRegisteredError || err instanceof QueryRejectedError) {
          return { status: 'failed', error: errorToJson(err) };
        }
        throw err;
      }
    },
  },
  update: {
    min: 2,
    max: 3,
    run: async (client, [workflowId, name, jsonArgs]) => {
      const args = parseJsonArray(jsonArgs, 'jsonArgsArray');
      return updateOutcome(() =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        client.workflow.getHandle(workflowId).executeUpdate(name, { args: args as [any, ...any[]] })
      );
    },
  },
  'start-update': {
    // startUpdate returns once the workflow accepted the update or its validator rejected it;
    // either way the SDK gives a handle, whose result() is the outcome. (A rejected update is not
    // recorded: `update-result` in another process cannot find it.)
    min: 2,
    max: 4,
    run: async (client, [workflowId, name, jsonArgs, updateId]) => {
      const args = parseJsonArray(jsonArgs, 'jsonArgsArray');
      const update = await client.workflow.getHandle(workflowId).startUpdate(name, {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        args: args as [any, ...any[]],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        updateId: updateId || undefined,
      });
      return {
        status: 'started',
        updateId: update.updateId,
        workflowRunId: update.workflowRunId ?? null,
        outcome: await updateOutcome(() => update.result()),
      };
    },
  },
  'update-result': {
    min: 2,
    max: 2,
    run: (client, [workflowId, updateId]) =>
      updateOutcome(() => client.workflow.getHandle(workflowId).getUpdateHandle(updateId).result()),
  },
  'update-with-start': {
    // Starts the workflow unless it runs (USE_EXISTING) and sends the update in the same request.
    min: 5,
    max: 6,
    run: async (client, [workflowType, taskQueue, workflowId, name, jsonUpdateArgs, jsonArgs]) => {
      const startWorkflowOperation = new WithStartWorkflowOperation(workflowType, {
        ...startOptions(taskQueue, workflowId, jsonArgs ?? '', undefined),
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const outcome = await updateOutcome(() =>
        client.workflow.executeUpdateWithStart(name, {
          args: parseJsonArray(jsonUpdateArgs, 'jsonUpdateArgs'),
          startWorkflowOperation,
        })
      );
      const handle = await startWorkflowOperation.workflowHandle();
      // The handle carries no run id: the run the update went to is the latest one.
      const { runId } = await handle.describe();
      return { ...outcome, workflowId: handle.workflowId, runId };
    },
  },
  cancel: {
    min: 1,
    max: 1,
    run: async (client, [workflowId]) => {
      await client.workflow.getHandle(workflowId).cancel();
      return { status: 'ok' };
    },
  },
  terminate: {
    min: 1,
    max: 2,
    run: async (client, [workflowId, reason]) => {
      await client.workflow.getHandle(workflowId).terminate(reason);
      return { status: 'ok' };
    },
  },
};

function parseTypedSearchAttributes(spec: unknown): SearchAttributePair[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new UsageError('typedSearchAttributes: must be a JSON object');
  }
  return Object.entries(spec as Record<string, { type?: string; value?: unknown }>).map(([name, { type, value }]) => {
    if (!type || !(type in SearchAttributeType)) {
      throw new UsageError(`typedSearchAttributes.${name}: unknown type ${String(type)}`);
    }
    const key = defineSearchAttributeKey(name, SearchAttributeType[type as keyof typeof SearchAttributeType]);
    const v = key.type === SearchAttributeType.DATETIME ? new Date(String(value)) : value;
    return { key, value: v } as SearchAttributePair;
  });
}

/** WorkflowStartOptions from the command line's JSON. */
function startOptions(
  taskQueue: string,
  workflowId: string,
  jsonArgs: string,
  jsonOptions: string | undefined
): WorkflowStartOptions {
  const args = parseJsonArray(jsonArgs, 'jsonArgsArray');
  // Extra options (memo, retry, cronSchedule, workflowExecutionTimeout, ...)
  // are passed through to WorkflowStartOptions as-is.
  const extra = parseJsonObject(jsonOptions, 'jsonOptions');
  // `typedSearchAttributes` as JSON: {"<name>": {"type": "KEYWORD" | "INT" | ..., "value": ...}}
  // (DATETIME values as ISO-8601 strings) becomes the SDK's typed pairs.
  if (extra.typedSearchAttributes !== undefined) {
    extra.typedSearchAttributes = parseTypedSearchAttributes(extra.typedSearchAttributes);
  }
  return { ...extra, taskQueue, workflowId, args } as WorkflowStartOptions;
}

async function startWorkflow(
  client: Client,
  workflowType: string,
  taskQueue: string,
  workflowId: string,
  jsonArgs: string,
  jsonOptions: string | undefined
) {
  return client.workflow.start(workflowType, startOptions(taskQueue, workflowId, jsonArgs, jsonOptions));
}

/** Runs a worker for the interop workflows with this client's codecs until SIGTERM/SIGINT. */
async function runWorker(address: string, namespace: string, taskQueue: string): Promise<number> {
  // Loaded here so that the other commands do not pay for the worker's native runtime.
  const { DefaultLogger, NativeConnection, Runtime, Worker } = await import('@temporalio/worker');
  const logLevel = (process.env.LOG_LEVEL || 'WARN').toUpperCase() as 'WARN';
  // stdout is for the readiness line only.
  Runtime.install({
    logger: new DefaultLogger(logLevel, (entry) => process.stderr.write(`[${entry.level}] ${entry.message}\n`)),
    shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'],
  });
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities: await import('./activities'),
      interceptors: { workflowModules: [require.resolve('./interceptors')] },
      dataConverter: { payloadCodecs: codecs },
    });
    const running = worker.run();
    process.stdout.write('worker ready\n');
    await running;
    return 0;
  } finally {
    await connection.close();
  }
}

function print(obj: unknown): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined && name !== 'worker') {
    process.stderr.write(USAGE + '\n');
    return 1;
  }
  try {
    if (command) need(args, command.min, command.max);
    else need(args, 1, 1);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }

  const address = process.env.TEMPORAL_ADDRESS || 'localhost:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  try {
    codecs = codecsFromEnv();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  if (command === undefined) return runWorker(address, namespace, args[0]);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: '10s' });
  } catch (err) {
    print({ status: 'error', error: errorToJson(err) });
    return 2;
  }
  try {
    const client = new Client({ connection, namespace, dataConverter: { payloadCodecs: codecs } });
    print(await command.run(client, args));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 1;
    }
    // Server-reported problems (not found, already started, ...) are handled outcomes.
    print({ status: 'error', error: errorToJson(err) });
    return 0;
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`client failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  }
);

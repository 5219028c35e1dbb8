// Workflows hosted by the TypeScript interop worker. The workflow type name is
// the exported function name.
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from './activities';
import { getReceivedHeaders } from './interceptors';

const { failingActivity } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 1 },
});

/** Returns its first argument unchanged (undefined/binary-null if none). */
export async function echo(...args: unknown[]): Promise<unknown> {
  return args[0];
}

/** Returns the array of all arguments. */
export async function echoAll(...args: unknown[]): Promise<unknown[]> {
  return args;
}

export const addSignal = defineSignal<[string]>('add');
export const finishSignal = defineSignal<[]>('finish');
export const getMessagesQuery = defineQuery<string[]>('getMessages');
export const failQuery = defineQuery<never>('fail');
export const addAndGetUpdate = defineUpdate<number, [string]>('addAndGet');
export const failUpdateUpdate = defineUpdate<never, []>('failUpdate');

/** Signals, queries and updates over a list of messages. */
export async function signalsAndQueries(): Promise<string[]> {
  const state = { messages: [] as string[] };
  let finished = false;

  setHandler(addSignal, (message: string) => {
    state.messages.push(message);
  });
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(getMessagesQuery, () => state.messages);
  setHandler(failQuery, () => {
    throw ApplicationFailure.create({ message: 'query failed on purpose' });
  });
  setHandler(
    addAndGetUpdate,
    (msg: string) => {
      state.messages.push(msg);
      return state.messages.length;
    },
    {
      validator: (msg: string) => {
        if (msg === '') {
          throw new Error('empty message rejected');
        }
      },
    }
  );
  setHandler(failUpdateUpdate, () => {
    throw ApplicationFailure.create({
      message: 'update failed on purpose',
      type: 'UpdateFailure',
      details: ['d1'],
    });
  });

  await condition(() => finished);
  return state.messages;
}

/** Sleeps `ms` milliseconds, then returns 'done'. */
export async function longRunning(ms: number): Promise<string> {
  await sleep(ms);
  return 'done';
}

/** Fails in the way selected by `kind`. */
export async function failing(kind: string): Promise<never> {
  switch (kind) {
    case 'application':
      throw ApplicationFailure.create({
        message: 'failed on purpose',
        type: 'MyError',
        details: ['detail1', 42],
        nonRetryable: false,
      });
    case 'nonRetryable':
      throw ApplicationFailure.nonRetryable('non retryable failure', 'FatalError');
    case 'nested':
      throw ApplicationFailure.create({
        message: 'outer failure',
        type: 'OuterError',
        cause: ApplicationFailure.create({ message: 'inner cause', type: 'InnerError' }),
      });
    case 'activity':
      // ActivityFailure (cause: ApplicationFailure 'ActivityError') propagates.
      await failingActivity();
      throw ApplicationFailure.nonRetryable('failingActivity unexpectedly succeeded', 'Unexpected');
    default:
      throw ApplicationFailure.nonRetryable(`unknown failure kind: ${kind}`, 'UnknownKind');
  }
}

/** Sleeps for an hour; ends Canceled when cancellation is requested. */
export async function cancellable(): Promise<string> {
  try {
    await sleep('1 hour');
  } catch (err) {
    if (isCancellation(err)) {
      // Rethrow the CancelledFailure so the workflow ends Canceled.
      throw err;
    }
    throw err;
  }
  return 'not cancelled';
}

/** Continues-as-new n times, then returns 'final'. */
export async function continueAsNewChain(n: number): Promise<string> {
  if (n > 0) {
    await continueAsNew<typeof continueAsNewChain>(n - 1);
  }
  return 'final';
}

/** Returns this run's id (intended to be started with a cron schedule). */
export async function cronWorkflow(): Promise<string> {
  return workflowInfo().runId;
}

/** Fails retryably on attempt 1, returns the attempt number afterwards. */
export async function retryThenSucceed(): Promise<number> {
  const { attempt } = workflowInfo();
  if (attempt < 2) {
    throw ApplicationFailure.retryable('try again');
  }
  return attempt;
}

/** Returns the memo and the typed search attributes (as name -> value). */
export async function memoAndSearchAttributes(): Promise<{
  memo: Record<string, unknown>;
  searchAttributes: Record<string, unknown>;
}> {
  const info = workflowInfo();
  const searchAttributes: Record<string, unknown> = {};
  for (const pair of info.typedSearchAttributes.getAll()) {
    searchAttributes[pair.key.name] = pair.value;
  }
  return { memo: info.memo ?? {}, searchAttributes };
}

/** Returns the start headers it received, decoded, as name -> value. */
export async function headerEcho(): Promise<Record<string, unknown>> {
  return getReceivedHeaders();
}

/** Sleeps `ms` milliseconds, then returns `ms`. */
export async function sleeper(ms: number): Promise<number> {
  await sleep(ms);
  return ms;
}

/**
 * Runs asyncActivity with the given activity id and returns its result; an outside client
 * completes, fails or cancels it. Cancellation waits for the activity to confirm it.
 */
export async function asyncCompletion(activityId: string): Promise<unknown> {
  const { asyncActivity } = proxyActivities<typeof activities>({
    activityId,
    startToCloseTimeout: '60s',
    heartbeatTimeout: '30s',
    retry: { maximumAttempts: 1 },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return await asyncActivity();
}

/** Options of runActivity (milliseconds). */
export interface RunActivityOptions {
  startToCloseTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
  maximumAttempts?: number;
  /** Cancel the activity after this long; the workflow then returns 'cancelled'. */
  cancelAfterMs?: number;
}

/**
 * Runs the activity `activityType` with `args` on `taskQueue` (a worker of another SDK polls it)
 * and returns its result. Cancellation waits for the activity to confirm it.
 */
export async function runActivity(
  activityType: string,
  taskQueue: string,
  args: unknown[],
  opts: RunActivityOptions = {}
): Promise<unknown> {
  const acts = proxyActivities<Record<string, (...a: unknown[]) => Promise<unknown>>>({
    taskQueue,
    startToCloseTimeout: opts.startToCloseTimeoutMs ?? 60_000,
    heartbeatTimeout: opts.heartbeatTimeoutMs,
    retry: opts.maximumAttempts === undefined ? undefined : { maximumAttempts: opts.maximumAttempts },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const cancelAfterMs = opts.cancelAfterMs;
  if (cancelAfterMs === undefined) {
    return await acts[activityType](...args);
  }
  const scope = new CancellationScope();
  const result = scope.run(() => acts[activityType](...args));
  void sleep(cancelAfterMs)
    .then(() => scope.cancel())
    .catch(() => undefined);
  try {
    return await result;
  } catch (err) {
    if (isCancellation(err)) {
      return 'cancelled';
    }
    throw err;
  }
}

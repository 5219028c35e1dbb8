// Activities hosted by the TypeScript interop worker.
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

/** Always fails with an ApplicationFailure of type 'ActivityError'. */
export async function failingActivity(): Promise<never> {
  throw ApplicationFailure.create({
    message: 'activity failed on purpose',
    type: 'ActivityError',
    details: ['activity-detail'],
    nonRetryable: false,
  });
}

/** Returns its argument unchanged. */
export async function complete<T>(x: T): Promise<T> {
  return x;
}

/**
 * Heartbeats once with its task token (base64) as the detail, then leaves its completion to a
 * client outside the worker (asynchronous completion).
 */
export async function asyncActivity(): Promise<unknown> {
  const ctx = Context.current();
  ctx.heartbeat(Buffer.from(ctx.info.taskToken).toString('base64'));
  throw new CompleteAsyncError();
}

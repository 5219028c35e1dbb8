// Activities hosted by the TypeScript interop worker.
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

// Workflow interceptor module (loaded inside the workflow sandbox through
// `interceptors.workflowModules`). It records the headers of the workflow's
// start so that the `headerEcho` workflow can return them.
//
// Module-level state is isolated per workflow execution by the SDK (each
// workflow gets its own copy of non-shared modules), so a plain variable is
// safe here.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type {
  Next,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
} from '@temporalio/workflow';

let receivedHeaders: Record<string, unknown> = {};

/** Headers received by the current workflow's execute call, decoded. */
export function getReceivedHeaders(): Record<string, unknown> {
  return receivedHeaders;
}

function decodeHeader(payload: Payload): unknown {
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch (err) {
    return { undecodable: true, error: err instanceof Error ? err.message : String(err) };
  }
}

class HeaderCaptureInterceptor implements WorkflowInboundCallsInterceptor {
  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>
  ): Promise<unknown> {
    const decoded: Record<string, unknown> = {};
    for (const [name, payload] of Object.entries(input.headers ?? {})) {
      decoded[name] = decodeHeader(payload);
    }
    receivedHeaders = decoded;
    return next(input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new HeaderCaptureInterceptor()],
});

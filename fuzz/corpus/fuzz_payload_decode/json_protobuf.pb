
7
messageType(temporal.api.common.v1.WorkflowExecution

encodingjson/protobuf!{"workflowId":"wf","runId":"run"}
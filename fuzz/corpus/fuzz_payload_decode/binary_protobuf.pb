
7
messageType(temporal.api.common.v1.WorkflowExecution

encodingbinary/protobuf	
wfrun
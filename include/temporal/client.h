// Everything a client application needs: Connection, Client, workflow handles, converters, errors,
// environment configuration.
#pragma once

#include "temporal/async/task.h"
#include "temporal/client/client.h"
#include "temporal/client/connection.h"
#include "temporal/client/workflow_client.h"
#include "temporal/client/schedule_client.h"
#include "temporal/client/async_activity.h"
#include "temporal/client/operator_client.h"
#include "temporal/common/errors.h"
#include "temporal/common/retry_policy.h"
#include "temporal/common/search_attributes.h"
#include "temporal/converter/data_converter.h"
#include "temporal/envconfig/envconfig.h"

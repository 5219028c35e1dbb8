#include "temporal/common/process.h"

#include <absl/synchronization/mutex.h>

namespace temporal {

void disable_abseil_deadlock_detection() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

}  // namespace temporal

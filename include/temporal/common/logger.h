// Logger: where the SDK's own log lines go (worker events, wf::log() from workflow code, dropped
// signals). A plain function, called from the worker's threads: it must be thread-safe.
//
//   worker_options.logger = [](temporal::LogLevel level, const std::string& line) { my_log(level, line); };
#pragma once

#include <functional>
#include <string>

namespace temporal {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

using Logger = std::function<void(LogLevel level, const std::string& message)>;

/// The default: one line per message on stderr, at `min_level` and above.
Logger stderr_logger(LogLevel min_level = LogLevel::kInfo);

const char* to_string(LogLevel level);

}  // namespace temporal

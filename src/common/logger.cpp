#include "temporal/common/logger.h"

#include <cstdio>

namespace temporal {

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

Logger stderr_logger(LogLevel min_level) {
  return [min_level](LogLevel level, const std::string& message) {
    if (level < min_level) return;
    // One fprintf per line: lines from several threads do not interleave.
    std::fprintf(stderr, "temporal %s %s\n", to_string(level), message.c_str());
  };
}

}  // namespace temporal

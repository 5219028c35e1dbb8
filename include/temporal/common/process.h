// Process-wide settings. The library never changes process state by itself: a program that wants
// one of these asks for it, once, before it makes its first Connection.
#pragma once

namespace temporal {

/// Turns off abseil's mutex deadlock detector for the whole process. Debian builds abseil without
/// NDEBUG, which leaves this debug-only detector on: every lock of every gRPC mutex then takes one
/// process-wide spinlock and updates a lock graph (1.6 % of a busy client's CPU in an earlier profile, plus
/// contention between threads). Release builds of abseil have it off. Worth calling in a
/// long-running worker or a load generator; it cannot be undone.
void disable_abseil_deadlock_detection();

}  // namespace temporal

// Tells ThreadSanitizer about the ordering gRPC guarantees but TSan cannot see: the Debian gRPC is
// not instrumented, so TSan misses that a call's callback runs after the thread that started the
// call handed it over. Built with TEMPORAL_TSAN (scripts/sanitize.sh tsan) these record the edge;
// otherwise they compile to nothing. Use them only where gRPC's documented contract provides the
// ordering: release before handing an object to gRPC, acquire first thing in the callback.
#pragma once

#if defined(TEMPORAL_TSAN)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
extern "C" void AnnotateIgnoreReadsBegin(const char* file, int line);
extern "C" void AnnotateIgnoreReadsEnd(const char* file, int line);
extern "C" void AnnotateIgnoreWritesBegin(const char* file, int line);
extern "C" void AnnotateIgnoreWritesEnd(const char* file, int line);
#endif

namespace temporal::async_detail {

/// Everything this thread did so far happens before a later `happens_after(tag)`.
inline void happens_before([[maybe_unused]] const void* tag) {
#if defined(TEMPORAL_TSAN)
  __tsan_release(const_cast<void*>(tag));
#endif
}

/// Everything done before a `happens_before(tag)` on another thread is visible from here on.
inline void happens_after([[maybe_unused]] const void* tag) {
#if defined(TEMPORAL_TSAN)
  __tsan_acquire(const_cast<void*>(tag));
#endif
}

/// While alive, this thread's memory accesses are not checked: for the span of a call into gRPC's
/// API, whose inline header code (copying the callback, filling the context) is gRPC's own and as
/// unchecked as the rest of the uninstrumented library. Synchronization is still seen.
class GrpcHandoffScope {
 public:
  GrpcHandoffScope() {
#if defined(TEMPORAL_TSAN)
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
#endif
  }
  ~GrpcHandoffScope() {
#if defined(TEMPORAL_TSAN)
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
#endif
  }
  GrpcHandoffScope(const GrpcHandoffScope&) = delete;
  GrpcHandoffScope& operator=(const GrpcHandoffScope&) = delete;
};

}  // namespace temporal::async_detail

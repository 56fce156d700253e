// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_CORE_THREAD_ANNOTATIONS_H_
#define GROUPCACHE_SRC_CORE_THREAD_ANNOTATIONS_H_

// Clang's thread-safety attributes
// (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html). They state the
// locking rules in the code, and a clang build with -Wthread-safety
// (GROUPCACHE_THREAD_SAFETY=ON) checks them. They are compile-time only:
// under g++ they expand to nothing, and under clang they change no generated
// code.
//
//   Mutex mu_;
//   int count_ GUARDED_BY(mu_) = 0;   // read or written only with mu_ held
//   void BumpLocked() REQUIRES(mu_);   // the caller holds mu_
//   void Bump() EXCLUDES(mu_);         // takes mu_ itself

#if defined(__clang__)
#define GROUPCACHE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GROUPCACHE_THREAD_ANNOTATION(x)
#endif

// A class that is a lock (Mutex, SpinMutex).
#define CAPABILITY(x) GROUPCACHE_THREAD_ANNOTATION(capability(x))
// A RAII class that holds a lock for its lifetime (MutexLock).
#define SCOPED_CAPABILITY GROUPCACHE_THREAD_ANNOTATION(scoped_lockable)

// A member that is read or written only with the lock held (shared for a
// read, exclusive for a write).
#define GUARDED_BY(x) GROUPCACHE_THREAD_ANNOTATION(guarded_by(x))
// A pointer member whose pointee is guarded so.
#define PT_GUARDED_BY(x) GROUPCACHE_THREAD_ANNOTATION(pt_guarded_by(x))
// Lock ordering: this lock is taken before / after the named ones.
#define ACQUIRED_BEFORE(...) GROUPCACHE_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) GROUPCACHE_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))

// The caller must hold the lock (exclusively / at least shared).
#define REQUIRES(...) GROUPCACHE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) GROUPCACHE_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// The function takes / gives back the lock and returns with it held / free.
#define ACQUIRE(...) GROUPCACHE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) GROUPCACHE_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) GROUPCACHE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) GROUPCACHE_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
// Takes the lock iff the function returns the first argument.
#define TRY_ACQUIRE(...) GROUPCACHE_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// The caller must not hold the lock (the function takes it).
#define EXCLUDES(...) GROUPCACHE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// Tells the analysis the lock is held here, for what it cannot follow.
#define ASSERT_CAPABILITY(x) GROUPCACHE_THREAD_ANNOTATION(assert_capability(x))
// The function returns a reference to the lock.
#define RETURN_CAPABILITY(x) GROUPCACHE_THREAD_ANNOTATION(lock_returned(x))
// Turns the analysis off for one function; say why beside each use.
#define NO_THREAD_SAFETY_ANALYSIS GROUPCACHE_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // GROUPCACHE_SRC_CORE_THREAD_ANNOTATIONS_H_

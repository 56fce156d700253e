// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_FUNCTION_H_
#define GROUPCACHE_FUNCTION_H_

#include <memory>
#include <type_traits>
#include <utility>

namespace groupcache {

template <typename Signature>
class MoveOnlyFunction;

// A MoveOnlyFunction is a callable wrapper like std::function that also accepts
// move-only callables (completion handlers that own a response, a promise...).
// C++23's std::move_only_function is not available in C++20, hence this
// minimal version. Not thread-safe; an empty one must not be called.
template <typename R, typename... Args>
class MoveOnlyFunction<R(Args...)> {
 public:
  MoveOnlyFunction() = default;
  MoveOnlyFunction(std::nullptr_t) {}  // NOLINT
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, MoveOnlyFunction> &&
                                                    std::is_invocable_r_v<R, std::decay_t<F>&, Args...>>>
  MoveOnlyFunction(F&& f)  // NOLINT: implicit like std::function
      : impl_(std::make_unique<Model<std::decay_t<F>>>(std::forward<F>(f))) {}

  MoveOnlyFunction(MoveOnlyFunction&&) noexcept = default;
  MoveOnlyFunction& operator=(MoveOnlyFunction&&) noexcept = default;

  explicit operator bool() const { return impl_ != nullptr; }
  R operator()(Args... args) { return impl_->Call(std::forward<Args>(args)...); }

 private:
  struct Concept {
    virtual ~Concept() = default;
    virtual R Call(Args... args) = 0;
  };
  template <typename F>
  struct Model final : Concept {
    explicit Model(F&& f) : fn(std::move(f)) {}
    explicit Model(const F& f) : fn(f) {}
    R Call(Args... args) override {
      if constexpr (std::is_void_v<R>) {
        fn(std::forward<Args>(args)...);  // a callable's result may be dropped, as std::function does
      } else {
        return fn(std::forward<Args>(args)...);
      }
    }
    F fn;
  };
  std::unique_ptr<Concept> impl_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_FUNCTION_H_

// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Private to the config loader: ${VAR} references in config values.
#ifndef GROUPCACHED_CONFIG_ENV_H_
#define GROUPCACHED_CONFIG_ENV_H_

#include <string>
#include <string_view>

#include "daemon/config.h"
#include "groupcache/status.h"

namespace groupcached::internal {

// Longest variable name accepted in a reference; real ones are far shorter.
inline constexpr size_t kMaxVariableName = 128;

// Replaces every ${NAME} in `text` with the value of the variable NAME in
// `env`; "$${" stands for a literal "${", and any other '$' is kept as it is.
// NAME is letters, digits and '_', not starting with a digit. Values are
// inserted as they are, never expanded again. Errors: InvalidArgument with
// the problem, e.g. "${POD_IP} is not set in the environment", "${POD_IP}
// is empty", "\"${pod ip}\" is not a variable reference (...)", "${ is not
// closed with } (...)".
groupcache::Result<std::string> ExpandVariables(std::string_view text, const Environment& env);

}  // namespace groupcached::internal

#endif  // GROUPCACHED_CONFIG_ENV_H_

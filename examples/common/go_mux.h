// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The two answers Go's http.ServeMux gives on its own, so the programs answer
// unregistered paths exactly as the Go originals (which use DefaultServeMux) do.
#ifndef GROUPCACHE_EXAMPLES_COMMON_GO_MUX_H_
#define GROUPCACHE_EXAMPLES_COMMON_GO_MUX_H_

#include <string>
#include <utility>

#include "groupcache/http_server.h"

namespace groupcache::examples {

// Answers every request with ServeMux's 404: "404 page not found\n".
inline HttpHandler GoNotFoundHandler() {
  return [](const HttpRequest&, Responder responder) {
    std::move(responder).Send(TextResponse(404, "404 page not found"));
  };
}

// Answers "/dir" with ServeMux's redirect to "/dir/" (for a tree registered
// only as "/dir/"): 301, Location with the query kept, and for GET a short
// HTML body, as http.Redirect writes it.
inline HttpHandler GoRedirectToSlashHandler() {
  return [](const HttpRequest& request, Responder responder) {
    std::string location(request.path);
    location += '/';
    if (!request.query.empty()) {
      location += '?';
      location += request.query;
    }
    HttpResponse response;
    response.status = 301;
    response.headers.emplace_back("Location", location);
    if (request.method == "GET" || request.method == "HEAD") {
      response.content_type = "text/html; charset=utf-8";
    }
    if (request.method == "GET") {
      std::string href;
      for (char c : location) {
        switch (c) {
          case '&':
            href += "&amp;";
            break;
          case '<':
            href += "&lt;";
            break;
          case '>':
            href += "&gt;";
            break;
          case '"':
            href += "&#34;";
            break;
          case '\'':
            href += "&#39;";
            break;
          default:
            href += c;
        }
      }
      response.body_prefix = "<a href=\"" + href + "\">Moved Permanently</a>.\n\n";
    }
    std::move(responder).Send(std::move(response));
  };
}

}  // namespace groupcache::examples

#endif  // GROUPCACHE_EXAMPLES_COMMON_GO_MUX_H_

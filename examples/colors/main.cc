// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// colors: the classic groupcache example, flag for flag like the Go program it
// ports (golang/groupcache's 2013 example; see the Go anchor's
// src/colors/groupcache.go).
//
//   colors -addr 127.0.0.1:8080 -pool http://127.0.0.1:8080,http://127.0.0.1:8081
//
// It serves GET /color?name=<red|green|blue> from a static map through a group
// named "foobar" of 64 MiB. -pool lists the peers' base URLs; the first entry
// is this process. One HTTP server carries both /color and the peer endpoint
// (/_groupcache/), as Go's DefaultServeMux does. SIGINT or SIGTERM stops it.
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "examples/common/go_flags.h"
#include "examples/common/go_log.h"
#include "examples/common/go_mux.h"
#include "examples/common/stop_signal.h"
#include "groupcache/groupcache.h"
#include "groupcache/url.h"

namespace {

using groupcache::ByteView;
using groupcache::HttpRequest;
using groupcache::HttpResponse;
using groupcache::Responder;
using groupcache::Result;
using groupcache::Sink;
using groupcache::Status;

const std::map<std::string, std::string, std::less<>>& Store() {
  static const auto* store = new std::map<std::string, std::string, std::less<>>{
      {"red", "#FF0000"},
      {"green", "#00FF00"},
      {"blue", "#0000FF"},
  };
  return *store;
}

Status LookUpColor(std::string_view key, Sink& dest) {
  groupcache::examples::GoLog("looking up " + std::string(key));
  auto it = Store().find(key);
  if (it == Store().end()) return Status::NotFound("color not found");
  dest.SetString(it->second);
  return Status::Ok();
}

// Answers GET /color?name=<color>: the value and a newline, or 404 with the
// error text, as the Go handler's w.Write / http.Error do.
void ServeColor(groupcache::Group* group, const HttpRequest& request, Responder responder) {
  std::string name = groupcache::QueryValue(request.query, "name").value_or("");
  group->GetAsync(name, [responder = std::move(responder)](Result<ByteView> value) mutable {
    if (!value.ok()) {
      std::move(responder).Send(groupcache::TextResponse(404, value.status().message()));
      return;
    }
    HttpResponse response;
    // What Go's content sniffing picks for "#FF0000\n".
    response.content_type = "text/plain; charset=utf-8";
    // The newline has to follow the value, and only body_prefix precedes the
    // shared body, so copy the (seven-byte) value instead.
    response.body_prefix.reserve(value->size() + 1);
    response.body_prefix.append(value->view());
    response.body_prefix += '\n';
    std::move(responder).Send(std::move(response));
  });
}

}  // namespace

int main(int argc, char** argv) {
  groupcache::examples::FlagSet flags(argc > 0 ? argv[0] : "colors");
  const std::string* addr = flags.String("addr", ":8080", "server address");
  const std::string* pool_list = flags.String("pool", "http://localhost:8080", "server pool list");
  flags.Parse(argc, argv);

  auto listen_address = groupcache::ParseListenAddress(*addr);
  if (!listen_address.ok()) {
    std::fprintf(stderr, "colors: invalid -addr: %s\n", listen_address.status().message().c_str());
    return 2;
  }
  std::vector<std::string> peers = groupcache::examples::SplitGo(*pool_list, ',');

  // Before the runtime starts any thread, so that every thread inherits the mask.
  const sigset_t stop_signals = groupcache::examples::BlockStopSignals();

  // Declared in this order so they are destroyed in reverse: the server
  // before the pool, the pool before the registry, everything before the
  // runtime whose threads they use.
  groupcache::Runtime runtime;
  groupcache::GroupRegistry registry(&runtime.workers());
  auto group = registry.NewGroup("foobar", int64_t{64} << 20, groupcache::MakeGetter(LookUpColor));
  if (!group.ok()) {
    std::fprintf(stderr, "colors: %s\n", group.status().message().c_str());
    return 1;
  }

  auto pool = groupcache::HttpPool::Create(runtime, registry, peers[0]);
  if (!pool.ok()) {
    std::fprintf(stderr, "colors: invalid -pool: %s\n", pool.status().message().c_str());
    return 2;
  }
  if (Status set = (*pool)->Set(peers); !set.ok()) {
    std::fprintf(stderr, "colors: invalid -pool: %s\n", set.message().c_str());
    return 2;
  }
  registry.SetPeerPicker(*pool);

  groupcache::HttpServerOptions options;
  options.host = listen_address->first;
  options.port = listen_address->second;
  auto server = groupcache::HttpServer::Listen(runtime, options);
  if (!server.ok()) {
    // Go's log.Fatal(http.ListenAndServe(...)): a log line and status 1.
    groupcache::examples::GoLog(server.status().message());
    registry.SetPeerPicker(nullptr);
    return 1;
  }
  groupcache::Group* foobar = *group;
  (*server)->Handle("/color", [foobar](const HttpRequest& request, Responder responder) {
    ServeColor(foobar, request, std::move(responder));
  });
  const std::string& base_path = (*pool)->base_path();
  (*server)->Handle(base_path, (*pool)->handler());
  // What Go's DefaultServeMux answers by itself: the tree without its slash
  // is redirected, anything unregistered is a 404.
  (*server)->Handle(base_path.substr(0, base_path.size() - 1),
                    groupcache::examples::GoRedirectToSlashHandler());
  (*server)->Handle("/", groupcache::examples::GoNotFoundHandler());
  (*server)->Start();

  groupcache::examples::WaitForStopSignal(stop_signals);
  (*server)->Stop();
  // The registry holds the pool as its picker; drop that reference so the
  // pool goes before the registry it points to.
  registry.SetPeerPicker(nullptr);
  return 0;
}

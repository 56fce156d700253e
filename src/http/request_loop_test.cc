// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The server's request loop (read, dispatch, write) without sockets, on
// Beast's test stream: requests arrive in pieces of any size, and any read
// or write can be made to fail, so every error path of the loop is reached.
#include "http/request_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/_experimental/test/fail_count.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace groupcache::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using TestStream = beast::test::basic_stream<LoopExecutor>;

size_t CountOf(std::string_view haystack, std::string_view needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// One connection's request loop over a test stream. Its handlers record the
// targets they were given: "/" answers 200 "ok <target>" at once; "/later/"
// answers from another thread; "/throw" throws; "/drop" drops its Responder.
class RequestLoopTest : public ::testing::Test {
 protected:
  RequestLoopTest() {
    router_.Add("/", [this](const HttpRequest& request, Responder responder) {
      served_.emplace_back(request.target);
      std::move(responder).Send(TextResponse(200, "ok " + std::string(request.target)));
    });
    router_.Add("/later/", [this](const HttpRequest& request, Responder responder) {
      served_.emplace_back(request.target);
      threads_.emplace_back([responder = std::move(responder)]() mutable {
        std::move(responder).Send(TextResponse(200, "later"));
      });
    });
    router_.Add("/throw", [this](const HttpRequest& request, Responder) {
      served_.emplace_back(request.target);
      throw std::runtime_error("handler failed");
    });
    router_.Add("/drop", [this](const HttpRequest& request, Responder responder) {
      served_.emplace_back(request.target);
      Responder dropped = std::move(responder);
    });
    options_.header_timeout = std::chrono::hours(1);
  }
  ~RequestLoopTest() override {
    for (std::thread& thread : threads_) thread.join();
  }

  // Serves `input` (then the end of the stream) on a connection and returns
  // what the loop wrote. `fail_at`: the operation (read or write, counted
  // from 1) that fails; read_size and write_size cap each read and write.
  std::string Serve(std::string_view input, std::optional<size_t> fail_at = std::nullopt,
                    size_t read_size = 0, size_t write_size = 0) {
    beast::test::fail_count fail(fail_at.value_or(1000000));
    TestStream stream(io_, fail);
    TestStream client(io_);
    stream.connect(client);
    if (read_size != 0) stream.read_size(read_size);
    if (write_size != 0) stream.write_size(write_size);
    stream.append(input);
    stream.close_remote();

    Connection conn(Socket(io_.get_executor()), 0, Clock::now());
    conn.slot = std::make_shared<ResponseSlot>(io_.get_executor());
    conn.slot->loop_thread = std::this_thread::get_id();
    const ServeContext context{options_, router_, stopping_};
    bool ended = false;
    asio::co_spawn(
        io_.get_executor(),
        [&]() -> LoopAwaitable<void> {
          co_await ServeRequests(context, conn, stream);
          ended = true;
        },
        asio::detached);
    io_.run();
    io_.restart();
    EXPECT_TRUE(ended);
    return std::string(client.str());
  }

  asio::io_context io_;
  HttpServerOptions options_;
  Router router_;
  std::atomic<bool> stopping_{false};
  std::vector<std::string> served_;
  std::vector<std::thread> threads_;
};

constexpr std::string_view kGet = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";

TEST_F(RequestLoopTest, PipelinedRequestsAreAnsweredInOrderUntilTheStreamEnds) {
  const std::string out = Serve(std::string(kGet) +
                                "HEAD /b HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /later/c HTTP/1.1\r\nHost: x\r\n\r\n"
                                "POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(served_, (std::vector<std::string>{"/a", "/b", "/later/c", "/d"}));
  EXPECT_EQ(CountOf(out, "HTTP/1.1 200 OK\r\n"), 4u) << out;
  const size_t a = out.find("ok /a\n");
  const size_t c = out.find("later\n");
  const size_t d = out.find("ok /d\n");
  EXPECT_TRUE(a < c && c < d) << out;
  EXPECT_EQ(out.find("ok /b\n"), std::string::npos) << "a HEAD response has no body";
}

// `responses` with every Date header's value blanked: two runs of the same
// requests may straddle a second.
std::string WithoutDates(std::string responses) {
  for (size_t at = responses.find("\r\nDate: "); at != std::string::npos;
       at = responses.find("\r\nDate: ", at + 1)) {
    const size_t value = at + 8;
    responses.erase(value, responses.find("\r\n", value) - value);
  }
  return responses;
}

TEST_F(RequestLoopTest, BytesArrivingAndLeavingOneAtATimeMakeTheSameResponses) {
  const std::string input = std::string(kGet) + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi";
  const std::string whole = Serve(input);
  served_.clear();
  const std::string trickled = Serve(input, std::nullopt, /*read_size=*/1, /*write_size=*/1);
  EXPECT_EQ(CountOf(whole, "\r\nDate: "), 2u) << whole;
  EXPECT_EQ(WithoutDates(trickled), WithoutDates(whole));
  EXPECT_EQ(served_, (std::vector<std::string>{"/a", "/b"}));
}

TEST_F(RequestLoopTest, AFailedFirstReadEndsTheConnectionUnanswered) {
  EXPECT_EQ(Serve(kGet, /*fail_at=*/1), "");
  EXPECT_TRUE(served_.empty());
}

TEST_F(RequestLoopTest, AReadFailingMidwayThroughAHeadEndsTheConnectionUnanswered) {
  // Ten bytes a read: the third read fails partway through the head.
  EXPECT_EQ(Serve(kGet, /*fail_at=*/3, /*read_size=*/10), "");
  EXPECT_TRUE(served_.empty());
}

TEST_F(RequestLoopTest, AReadFailingMidwayThroughABodyEndsTheConnectionUnanswered) {
  const std::string post =
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x');
  EXPECT_EQ(Serve(post, /*fail_at=*/9, /*read_size=*/10), "");
  EXPECT_TRUE(served_.empty());
}

TEST_F(RequestLoopTest, AStreamEndingMidwayThroughARequestEndsTheConnectionUnanswered) {
  EXPECT_EQ(Serve(kGet.substr(0, 20)), "");
  EXPECT_EQ(Serve("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"), "");
  EXPECT_TRUE(served_.empty());
}

TEST_F(RequestLoopTest, AFailedWriteEndsTheLoopBeforeTheNextRequest) {
  // Operation 1 reads both requests; operation 2, the first response's
  // write, fails: the second request is never dispatched.
  EXPECT_EQ(Serve(std::string(kGet) + std::string(kGet), /*fail_at=*/2), "");
  EXPECT_EQ(served_, std::vector<std::string>{"/a"});
}

TEST_F(RequestLoopTest, AWriteFailingPartwayEndsTheLoopAfterWhatWasWritten) {
  // One read, then ten bytes a write: the third write fails.
  const std::string out = Serve(std::string(kGet) + std::string(kGet), /*fail_at=*/4, 0, /*write_size=*/10);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nCon");
  EXPECT_EQ(served_, std::vector<std::string>{"/a"});
}

TEST_F(RequestLoopTest, AFailedWriteOfAResponseFromAnotherThreadEndsTheLoop) {
  EXPECT_EQ(Serve("GET /later/x HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(kGet), /*fail_at=*/2), "");
  EXPECT_EQ(served_, std::vector<std::string>{"/later/x"});
}

TEST_F(RequestLoopTest, UnreadableRequestsAreRefusedAndTheConnectionClosed) {
  options_.max_header_bytes = 256;
  options_.max_body_bytes = 16;
  options_.max_target_bytes = 32;
  const std::string tail(kGet);  // never served: each refusal closes
  struct Case {
    std::string request;
    std::string status_line;
  };
  const Case cases[] = {
      {"GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(300, 'b') + "\r\n\r\n",
       "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
      {"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n" + std::string(17, 'x'),
       "HTTP/1.1 413 Payload Too Large\r\n"},
      {"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       "HTTP/1.1 400 Bad Request\r\n"},
      {"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
      {"\x16\x03\x01 not http\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
      {"GET /" + std::string(40, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 414 URI Too Long\r\n"},
      {"GET http://x/a HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
  };
  for (const Case& c : cases) {
    const std::string out = Serve(c.request + tail);
    EXPECT_EQ(out.substr(0, c.status_line.size()), c.status_line) << c.request.substr(0, 60) << "\n" << out;
    EXPECT_EQ(CountOf(out, "HTTP/1.1 "), 1u) << out;
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
  }
  EXPECT_TRUE(served_.empty());
}

TEST_F(RequestLoopTest, AHandlerThatThrowsOrDropsItsResponderAnswers500AndTheConnectionGoesOn) {
  const std::string out = Serve(
      "GET /throw HTTP/1.1\r\nHost: x\r\n\r\nGET /drop HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(kGet));
  EXPECT_EQ(CountOf(out, "HTTP/1.1 500 Internal Server Error\r\n"), 2u) << out;
  EXPECT_NE(out.find("ok /a\n"), std::string::npos) << out;
  EXPECT_EQ(served_, (std::vector<std::string>{"/throw", "/drop", "/a"}));
}

TEST_F(RequestLoopTest, AnUnknownPathIs404AndTheConnectionGoesOn) {
  router_ = Router();
  router_.Add("/only", [this](const HttpRequest& request, Responder responder) {
    served_.emplace_back(request.target);
    std::move(responder).Send(TextResponse(200, "only"));
  });
  const std::string out = Serve(std::string(kGet) + "GET /only HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(out.find("HTTP/1.1 404 Not Found\r\n"), 0u) << out;
  EXPECT_NE(out.find("only\n"), std::string::npos) << out;
  EXPECT_EQ(served_, std::vector<std::string>{"/only"});
}

TEST_F(RequestLoopTest, AStoppingServerClosesAfterTheResponseInProgress) {
  stopping_ = true;
  const std::string out = Serve(std::string(kGet) + std::string(kGet));
  EXPECT_EQ(CountOf(out, "HTTP/1.1 200 OK\r\n"), 1u) << out;
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
  EXPECT_EQ(served_, std::vector<std::string>{"/a"});
}

// The server starts stopping while a kept-alive response is being written
// (its close of idle connections skips this busy one): the loop ends after
// that response instead of waiting for the next request. Before, it went on
// to wait, and a peer that kept the connection open held Stop for its grace.
TEST_F(RequestLoopTest, AStopDuringTheWriteClosesAfterIt) {
  router_.Add("/big", [this](const HttpRequest& request, Responder responder) {
    served_.emplace_back(request.target);
    // Runs between two of the response's writes (each write completes
    // through the queue, after this).
    asio::post(io_, [this] { stopping_ = true; });
    std::move(responder).Send(TextResponse(200, std::string(64 * 1024, 'b')));
  });
  const std::string big = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string out = Serve(big + std::string(kGet), std::nullopt, 0, /*write_size=*/1000);
  EXPECT_EQ(CountOf(out, "HTTP/1.1 200 OK\r\n"), 1u) << out.substr(0, 200);
  EXPECT_EQ(served_, std::vector<std::string>{"/big"});
}

TEST_F(RequestLoopTest, ConnectionCloseAndHttp10EndTheLoopAfterTheirResponse) {
  for (const char* first :
       {"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET /a HTTP/1.0\r\n\r\n",
        // A token list goes to Beast's parser; every Connection field counts.
        "GET /a HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nConnection: te, close\r\n\r\n"}) {
    served_.clear();
    const std::string out = Serve(std::string(first) + std::string(kGet));
    EXPECT_EQ(served_.size(), 1u) << first << "\n" << out;
  }
}

// The reader alone, driven by hand as the loop drives it on a plain socket.
class RequestReaderTest : public ::testing::Test {
 protected:
  // Hands `bytes` to the reader as one read.
  RequestReader::Step Deliver(RequestReader& reader, std::string_view bytes) {
    const asio::mutable_buffer into = reader.ReadBuffer();
    EXPECT_GE(into.size(), bytes.size());
    std::memcpy(into.data(), bytes.data(), bytes.size());
    return reader.Received({}, bytes.size());
  }

  asio::io_context io_;
  HttpServerOptions options_;
  std::atomic<bool> stopping_{false};
  Connection conn_{Socket(io_.get_executor()), 0, Clock::now()};
};

TEST_F(RequestReaderTest, OnAPlainSocketABufferIsTakenOnlyOnceBytesAreThere) {
  using Step = RequestReader::Step;
  RequestReader reader(options_, stopping_, conn_, /*plain_socket=*/true);
  EXPECT_EQ(reader.Next(), Step::kWaitReadable);
  EXPECT_EQ(reader.Waited({}), Step::kReadSome);
  EXPECT_TRUE(conn_.parkable);
  EXPECT_EQ(Deliver(reader, "GET /a HTTP/1.1\r\n"), Step::kReadSome);  // a head in two pieces
  EXPECT_FALSE(conn_.parkable);
  ASSERT_EQ(Deliver(reader, "Host: x\r\n\r\n"), Step::kRequest);
  EXPECT_EQ(reader.request().target, "/a");
  EXPECT_TRUE(reader.request().keep_alive);
  EXPECT_FALSE(conn_.idle());
  reader.Consume();

  // Kept alive: the buffer stays for the next request while it is young ...
  reader.AwaitNext();
  EXPECT_TRUE(conn_.idle());
  EXPECT_EQ(reader.Next(), Step::kReadSome);
  EXPECT_TRUE(conn_.parkable);
  // ... until the watchdog parks the connection: it cancels the read, and
  // the reader lets its buffer go and waits for readability again.
  conn_.parked = true;
  EXPECT_EQ(reader.Received(asio::error::operation_aborted, 0), Step::kWaitReadable);
  EXPECT_FALSE(conn_.parked);
  EXPECT_EQ(reader.Waited({}), Step::kReadSome);
  ASSERT_EQ(Deliver(reader, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"), Step::kRequest);
  EXPECT_EQ(reader.request().target, "/b");
}

TEST_F(RequestReaderTest, AFailedReadOrAClosedConnectionEndsTheRequest) {
  using Step = RequestReader::Step;
  RequestReader reader(options_, stopping_, conn_, /*plain_socket=*/false);
  EXPECT_EQ(reader.Next(), Step::kReadSome);  // not a plain socket: no wait for readability
  EXPECT_EQ(Deliver(reader, "GET /a HTTP/1.1\r\n"), Step::kReadSome);
  EXPECT_EQ(reader.Received(asio::error::connection_reset, 0), Step::kClosed);
  RequestReader closed(options_, stopping_, conn_, false);
  conn_.Close();
  EXPECT_EQ(closed.Next(), Step::kClosed);
}

TEST_F(RequestReaderTest, HeadsTheFastParserDoesNotTakeGoToBeast) {
  using Step = RequestReader::Step;
  options_.max_header_bytes = 64;
  RequestReader reader(options_, stopping_, conn_, false);
  EXPECT_EQ(Deliver(reader, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"),
            Step::kReadWithBeast);
  RequestReader big(options_, stopping_, conn_, false);
  EXPECT_EQ(Deliver(big, "GET /a HTTP/1.1\r\nX: " + std::string(60, 'x')), Step::kReadWithBeast);
}

}  // namespace
}  // namespace groupcache::internal

// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/status_page.h"

#include <chrono>
#include <string>

#include "daemon/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

SystemTime At(int64_t seconds) { return SystemTime(std::chrono::seconds(seconds)); }

// A node with one ejected peer whose error text is hostile, and one group.
StatusData Sample() {
  StatusData data;
  data.build = {"0.1.0", "0123456789ab", "RelWithDebInfo", "GNU 12.2.0"};
  data.self = "https://10.0.0.1:8443";
  data.api_address = "127.0.0.1:8080";
  data.peer_address = "0.0.0.0:8443";
  data.ready = true;
  data.now = At(1700000000);  // 2023-11-14T22:13:20Z
  data.started = At(1699990000);
  data.fingerprint = "00ff00ff00ff00ff";
  StatusMember self;
  self.url = data.self;
  self.self = true;
  StatusMember peer;
  peer.url = "https://10.0.0.2:8443";
  peer.ejected = true;
  peer.consecutive_failures = 3;
  peer.ejections = 1;
  peer.last_error = "TLS: <b>unknown CA</b> & \"quoted\"\n\x01";
  peer.last_error_at = At(1699999990);
  peer.ejected_until = At(1700000002);
  StatusMember healthy;
  healthy.url = "https://10.0.0.3:8443";
  data.members = {self, peer, healthy};
  StatusGroup group;
  group.name = "colors";
  group.cache_bytes = 1 << 20;
  group.stats.gets = 42;
  group.stats.cache_hits = 40;
  group.main = {524288, 7, 50, 40, 0};
  group.hot = {0, 0, 0, 0, 0};
  data.groups = {group};
  data.certificate = StatusCertificate{"/etc/groupcached/node.pem", At(1700000000 + 5 * 86400), ""};
  data.config = {{"node.self", data.self}, {"tls.cert", "/etc/groupcached/node.pem"}};
  return data;
}

TEST(StatusHtmlTest, ShowsTheNodeTheRingTheGroupsAndTheCertificate) {
  const std::string html = RenderStatusHtml(Sample());
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<td>0.1.0</td>"));
  EXPECT_THAT(html, HasSubstr("<td>0123456789ab</td>"));
  EXPECT_THAT(html, HasSubstr("fingerprint 00ff00ff00ff00ff"));
  EXPECT_THAT(html, HasSubstr("<td>https://10.0.0.1:8443</td><td class=\"self\">self</td>"));
  EXPECT_THAT(html, HasSubstr("<td>https://10.0.0.2:8443</td><td class=\"ejected\">ejected</td>"));
  EXPECT_THAT(html, HasSubstr("<td>https://10.0.0.3:8443</td><td class=\"healthy\">healthy</td>"));
  EXPECT_THAT(html, HasSubstr("2023-11-14T22:13:10Z"));  // the last error's time
  EXPECT_THAT(html, HasSubstr("<td>colors</td><td class=\"num\">1.0 MiB</td><td class=\"num\">512.0 KiB</td>"
                              "<td class=\"num\">7</td><td class=\"num\">0 B</td><td class=\"num\">0</td>"
                              "<td class=\"num\">50.0%</td>"));
  EXPECT_THAT(html, HasSubstr("<td>colors</td><td class=\"num\">42</td><td class=\"num\">40</td>"));
  EXPECT_THAT(html, HasSubstr("not after 2023-11-19T22:13:20Z (5 days left)"));
  EXPECT_THAT(html, HasSubstr("<th>tls.cert</th><td>/etc/groupcached/node.pem</td>"));
}

TEST(StatusHtmlTest, EscapesEveryTextAndNeedsNothingFromOutside) {
  StatusData data = Sample();
  data.self = "https://<self>:1";
  data.config.push_back({"k<\"'>", "v&<script>alert(1)</script>"});
  const std::string html = RenderStatusHtml(data);
  EXPECT_THAT(html, HasSubstr("TLS: &lt;b&gt;unknown CA&lt;/b&gt; &amp; &quot;quoted&quot;"));
  EXPECT_THAT(html, HasSubstr("https://&lt;self&gt;:1"));
  EXPECT_THAT(html,
              HasSubstr("<th>k&lt;&quot;&#39;&gt;</th><td>v&amp;&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("href=\"http")));
}

TEST(StatusHtmlTest, SaysWhenTlsIsOffOrTheCertificateCannotBeRead) {
  StatusData data = Sample();
  data.certificate.reset();
  EXPECT_THAT(RenderStatusHtml(data), HasSubstr("none: TLS is off"));
  data.certificate = StatusCertificate{"/x.pem", std::nullopt, "/x.pem: cannot be read"};
  EXPECT_THAT(RenderStatusHtml(data), HasSubstr("/x.pem: /x.pem: cannot be read"));
  data.certificate = StatusCertificate{"/x.pem", At(1700000000 - 3 * 86400), ""};
  EXPECT_THAT(RenderStatusHtml(data), HasSubstr("EXPIRED 3 days ago"));
}

TEST(StatusJsonTest, RendersEveryFieldWithExactNumbers) {
  const std::string json = RenderStatusJson(Sample());
  EXPECT_THAT(json,
              HasSubstr(R"("version":"0.1.0","build":{"commit":"0123456789ab","build_type":"RelWithDebInfo",)"
                        R"("compiler":"GNU 12.2.0"},"self":"https://10.0.0.1:8443")"));
  EXPECT_THAT(json,
              HasSubstr(R"("ready":true,"now":"2023-11-14T22:13:20Z","started":"2023-11-14T19:26:40Z")"));
  EXPECT_THAT(json, HasSubstr(R"("ring":{"fingerprint":"00ff00ff00ff00ff","members":[)"));
  EXPECT_THAT(json,
              HasSubstr(R"({"url":"https://10.0.0.1:8443","state":"self","consecutive_failures":0,)"
                        R"("ejections":0,"last_error":null,"last_error_at":null,"ejected_until":null})"));
  EXPECT_THAT(json, HasSubstr(R"("state":"ejected","consecutive_failures":3,"ejections":1,)"));
  EXPECT_THAT(json, HasSubstr(R"("ejected_until":"2023-11-14T22:13:22Z")"));
  EXPECT_THAT(json, HasSubstr(R"({"name":"colors","cache_bytes":1048576,"main":{"bytes":524288,"items":7,)"));
  EXPECT_THAT(json, HasSubstr(R"("stats":{"gets":42,"cache_hits":40,)"));
  EXPECT_THAT(json, HasSubstr(R"("certificate":{"file":"/etc/groupcached/node.pem",)"
                              R"("not_after":"2023-11-19T22:13:20Z","error":null})"));
  EXPECT_THAT(json, HasSubstr(R"("config":{"node.self":"https://10.0.0.1:8443",)"));
  EXPECT_EQ(json.back(), '\n');
}

TEST(StatusJsonTest, EscapesQuotesControlCharactersAndInvalidUtf8) {
  StatusData data = Sample();
  data.config = {{"k\"\\", "caf\xc3\xa9 \xff\xfe \xed\xa0\x80 \t"}};
  const std::string json = RenderStatusJson(data);
  EXPECT_THAT(json, HasSubstr(R"("last_error":"TLS: <b>unknown CA</b> & \"quoted\"\n\u0001")"));
  // Valid UTF-8 passes; lone bytes and an encoded surrogate become U+FFFD.
  EXPECT_THAT(json, HasSubstr("\"k\\\"\\\\\":\"caf\xc3\xa9 \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd \\u0009\""));
  data.certificate.reset();
  EXPECT_THAT(RenderStatusJson(data), HasSubstr(R"("certificate":null)"));
}

TEST(SummarizeConfigTest, ListsSettingsButNoSecretsNorValues) {
  auto config = LoadConfigFromString(R"([node]
self = "https://10.0.0.1:8443"
peer_listen = "0.0.0.0:8443"
peers = ["https://10.0.0.1:8443", "https://10.0.0.2:8443"]
[tls]
ca = "/etc/g/ca.pem"
cert = "/etc/g/node.pem"
key = "/etc/g/node.key"
key_passphrase_file = "/etc/g/node.pass"
[log]
key_hash_secret_file = "/etc/g/log.secret"
[[group]]
name = "colors"
cache_bytes = "64MiB"
source = { type = "static", values = { cachedkey42 = "SECRET-STATIC-VALUE" } }
[[group]]
name = "origin"
cache_bytes = "1GiB"
source = { type = "http", url = "https://origin.internal/objects/{key}?token=TOKEN" }
)",
                                     "/etc/g/groupcached.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  std::string all;
  for (const auto& [key, value] : SummarizeConfig(*config)) all += key + "=" + value + "\n";
  EXPECT_THAT(all, HasSubstr("node.peers=https://10.0.0.1:8443 https://10.0.0.2:8443\n"));
  EXPECT_THAT(all, HasSubstr("tls.cert=/etc/g/node.pem\n"));
  EXPECT_THAT(all, HasSubstr("tls.key_passphrase_file=/etc/g/node.pass\n"));  // a path, not its contents
  EXPECT_THAT(all, HasSubstr("group.colors=cache 64MiB, static, 1 keys\n"));
  EXPECT_THAT(all, HasSubstr("group.origin=cache 1GiB, http origin https://origin.internal"));
  EXPECT_THAT(all, HasSubstr("runtime.io_threads=0 (automatic)\n"));
  for (const char* secret : {"SECRET-STATIC-VALUE", "cachedkey42", "TOKEN", "objects"}) {
    EXPECT_THAT(all, Not(HasSubstr(secret))) << all;
  }
}

}  // namespace
}  // namespace groupcached

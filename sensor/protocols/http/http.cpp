// HTTP/1.x with keep-alive and pipelining: requests and responses are parsed
// per direction (headers line by line, bodies framed by Content-Length or
// chunked encoding) and paired in order. One `http` event per transaction.
// Basic auth: only the user name is reported, never the password.
// When the worker has hooks, each body is de-chunked, decompressed (bounded,
// body_decoder.h) and handed to Hooks::http_body. After a reassembly gap the
// direction resynchronises at the next request / status line (counted).
#include <charconv>
#include <cstring>
#include <deque>

#include "sensor/engine/config.h"
#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/common/line_buffer.h"
#include "sensor/protocols/http/body_decoder.h"

namespace vigil::sensor {

namespace {

constexpr std::string_view kMethods[] = {"GET ",     "POST ",  "HEAD ",    "PUT ",   "DELETE ",
                                         "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "PROPFIND "};

struct Tx {
  std::string method, uri, protocol, host, user_agent, referer, req_content_type;
  std::string auth_scheme, auth_user;
  bool password_present = false;
  std::uint64_t request_body = 0;
  int status = 0;
  std::string status_msg, content_type, server, location;
  std::uint64_t response_body = 0;
  bool has_response = false;
  std::int64_t ts = 0;
};

// Per-direction message framing state.
struct Side {
  enum State {
    kStart,
    kHeaders,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkTrailer,
    kUntilClose,
    kLost,    // after a gap or garbage: looking for the next message start
    kTunnel,  // after CONNECT: not HTTP any more
  };
  State state = kStart;
  LineBuffer lines{16384};
  std::uint64_t remaining = 0;
  std::int64_t content_length = -1;
  bool chunked = false;
  BodyDecoder::Encoding encoding = BodyDecoder::Encoding::kIdentity;
  BodyDecoder body;  // active only while a body is being captured for hooks
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Does a request line (to the server) or a status line (to the client) start here?
bool message_start(Dir dir, std::string_view s) {
  if (dir == kToClient) {  // "HTTP/1.1 200" when the bytes are there
    if (!s.starts_with("HTTP/1.")) return false;
    return s.size() < 12 || (s[8] == ' ' && is_digit(s[9]) && is_digit(s[10]) && is_digit(s[11]));
  }
  for (std::string_view m : kMethods)
    if (s.starts_with(m)) return true;
  return false;
}

// Where the next message starts in a chunk delivered after a gap: at the
// chunk's start (senders usually begin a segment with a new message) or after
// a line feed; npos if nowhere.
std::size_t resync_point(Dir dir, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (message_start(dir, s.substr(i))) return i;
    i = s.find('\n', i);
    if (i == std::string_view::npos) break;
    ++i;
  }
  return std::string_view::npos;
}

std::uint64_t parse_u64(std::string_view s, int base = 10) {
  std::uint64_t v = 0;
  s = trim(s);
  std::from_chars(s.data(), s.data() + s.size(), v, base);
  return v;
}

class HttpAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir dir, Bytes data, std::int64_t ts) override {
    ts_ = ts;
    Side& s = side_[dir];
    int guard = 0;
    while (!data.empty() && ++guard < 100000) {
      switch (s.state) {
        case Side::kBody:
        case Side::kChunkData: {
          std::uint64_t n = std::min<std::uint64_t>(s.remaining, data.size());
          body_bytes(dir, data.first(n));
          s.remaining -= n;
          data = data.subspan(n);
          if (!s.remaining) {
            if (s.state == Side::kChunkData)
              s.state = Side::kChunkSize;  // CRLF + next size
            else
              message_done(dir);
          }
          break;
        }
        case Side::kUntilClose:
          body_bytes(dir, data);
          data = {};
          break;
        case Side::kLost: {
          std::size_t at = resync_point(dir, as_sv(data));
          if (at == std::string_view::npos) {
            data = {};
            break;
          }
          counters().inc(Counter::http_resync);
          s.state = Side::kStart;
          data = data.subspan(at);
          break;
        }
        case Side::kTunnel:
          data = {};
          break;
        default:
          data = s.lines.feed(data, counters(),
                              [&](std::string_view line) { return line_in(dir, line); });
          break;
      }
    }
  }

  void on_gap(Dir dir, std::uint64_t len) override {
    Side& s = side_[dir];
    if (s.state == Side::kTunnel) return;
    lost_[dir] = true;
    s.body.hole();
    if (((s.state == Side::kBody || s.state == Side::kChunkData) && len < s.remaining) ||
        s.state == Side::kUntilClose) {
      if (s.state != Side::kUntilClose) s.remaining -= len;
      count_body(dir, len);
      return;
    }
    deliver_body(dir);  // what was decoded before the gap, marked truncated
    s.lines.reset();
    s.state = Side::kLost;  // resync at the next request / status line we recognise
  }

  void on_end(std::int64_t ts) override {
    ts_ = ts;
    for (Dir d : {kToServer, kToClient}) {
      // A close-delimited body is complete when the connection ends; others were cut.
      if (side_[d].state != Side::kUntilClose) side_[d].body.hole();
      deliver_body(d);
    }
    while (!txs_.empty()) emit_front();
  }

 private:
  // Returns false when the header block is complete (the body follows).
  bool line_in(Dir dir, std::string_view line) {
    Side& s = side_[dir];
    switch (s.state) {
      case Side::kStart:
        if (line.empty()) return true;  // tolerated CRLF between messages
        if (dir == kToServer) return request_line(line);
        return status_line(line);
      case Side::kHeaders:
        if (line.empty()) {
          headers_done(dir);
          return false;
        }
        header(dir, line);
        return true;
      case Side::kChunkSize: {
        if (line.empty()) return true;  // CRLF after chunk data
        std::string_view sz = line.substr(0, line.find(';'));
        std::uint64_t n = parse_u64(sz, 16);
        if (n == 0) {
          s.state = Side::kChunkTrailer;
          return true;
        }
        s.remaining = n;
        s.state = Side::kChunkData;
        return false;
      }
      case Side::kChunkTrailer:
        if (line.empty()) {
          message_done(dir);
          return false;
        }
        return true;
      default:
        return true;
    }
  }

  bool request_line(std::string_view line) {
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1 || !line.substr(sp2 + 1).starts_with("HTTP/")) {
      counters().inc(Counter::http_malformed);
      lose(kToServer);
      return false;
    }
    Tx& tx = txs_.emplace_back();
    tx.ts = ts_;
    tx.method = clean_text(line.substr(0, sp1), 32);
    tx.uri = clean_text(line.substr(sp1 + 1, sp2 - sp1 - 1), 2048);
    tx.protocol = clean_text(line.substr(sp2 + 1), 16);
    side_[kToServer].state = Side::kHeaders;
    side_[kToServer].content_length = -1;
    side_[kToServer].chunked = false;
    side_[kToServer].encoding = BodyDecoder::Encoding::kIdentity;
    return true;
  }

  bool status_line(std::string_view line) {
    if (!line.starts_with("HTTP/") || line.size() < 12) {
      counters().inc(Counter::http_malformed);
      lose(kToClient);
      return false;
    }
    Tx* tx = nullptr;
    for (Tx& t : txs_)
      if (!t.has_response) {
        tx = &t;
        break;
      }
    if (!tx) {  // response without a request we saw (mid-stream pickup)
      tx = &txs_.emplace_back();
      tx->ts = ts_;
    }
    int code = int(parse_u64(line.substr(9, 3)));
    if (code >= 100 && code < 200 && code != 101) {  // interim: the real status follows
      side_[kToClient].state = Side::kHeaders;
      interim_ = true;
      return true;
    }
    interim_ = false;
    tx->status = code;
    tx->status_msg = clean_text(trim(line.substr(12)), 128);
    tx->has_response = true;
    resp_ = tx;
    side_[kToClient].state = Side::kHeaders;
    side_[kToClient].content_length = -1;
    side_[kToClient].chunked = false;
    side_[kToClient].encoding = BodyDecoder::Encoding::kIdentity;
    return true;
  }

  void header(Dir dir, std::string_view line) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    Side& s = side_[dir];
    if (iequals(name, "content-length"))
      s.content_length = std::int64_t(parse_u64(value));
    else if (iequals(name, "transfer-encoding") && value.find("chunked") != std::string_view::npos)
      s.chunked = true;
    else if (iequals(name, "content-encoding"))
      s.encoding = BodyDecoder::encoding_of(value);
    if (interim_ && dir == kToClient) return;
    if (dir == kToServer) {
      if (txs_.empty()) return;
      Tx& tx = txs_.back();
      if (iequals(name, "host"))
        tx.host = clean_text(value, 256);
      else if (iequals(name, "user-agent"))
        tx.user_agent = clean_text(value, 512);
      else if (iequals(name, "referer"))
        tx.referer = clean_text(value, 1024);
      else if (iequals(name, "content-type"))
        tx.req_content_type = clean_text(value, 128);
      else if (iequals(name, "authorization"))
        authorization(tx, value);
    } else if (resp_) {
      if (iequals(name, "content-type"))
        resp_->content_type = clean_text(value, 128);
      else if (iequals(name, "server"))
        resp_->server = clean_text(value, 256);
      else if (iequals(name, "location"))
        resp_->location = clean_text(value, 1024);
    }
  }

  static void authorization(Tx& tx, std::string_view value) {
    std::size_t sp = value.find(' ');
    std::string_view scheme = value.substr(0, sp);
    tx.auth_scheme = clean_text(scheme, 32);
    if (iequals(scheme, "basic") && sp != std::string_view::npos) {
      std::string creds = base64_decode(value.substr(sp + 1));
      std::size_t colon = creds.find(':');
      tx.auth_user = clean_text(std::string_view(creds).substr(0, colon), 256);
      tx.password_present = colon != std::string::npos && colon + 1 < creds.size();
    }
  }

  void headers_done(Dir dir) {
    Side& s = side_[dir];
    if (dir == kToClient && interim_) {
      s.state = Side::kStart;
      return;
    }
    bool no_body = false;
    if (dir == kToClient && resp_) {
      int st = resp_->status;
      // HEAD responses, 1xx, 204 and 304 never have a body (RFC 9112 6.3).
      Tx* req = resp_;
      no_body = st == 204 || st == 304 || st < 200 || req->method == "HEAD";
      if (req->method == "CONNECT" && st / 100 == 2) {
        s.state = Side::kTunnel;
        side_[kToServer].state = Side::kTunnel;
        return;
      }
    }
    if (!no_body && out_.hooks())
      if (const std::uint64_t depth = out_.hooks()->http_body_depth())
        s.body.start(s.encoding, body_config(), depth);
    if (s.chunked && !no_body) {
      s.state = Side::kChunkSize;
    } else if (s.content_length > 0 && !no_body) {
      s.remaining = std::uint64_t(s.content_length);
      s.state = Side::kBody;
    } else if (dir == kToClient && !no_body && s.content_length < 0) {
      s.state = Side::kUntilClose;  // HTTP/1.0 style: body ends with the connection
    } else {
      message_done(dir);
    }
  }

  void lose(Dir dir) { side_[dir].state = Side::kLost; }

  const HttpBodyConfig& body_config() const {
    static const HttpBodyConfig kDefaults;
    return out_.config() ? out_.config()->http_body : kDefaults;
  }

  void body_bytes(Dir dir, Bytes data) {
    side_[dir].body.feed(data, counters());
    count_body(dir, data.size());
  }

  // Hands the decoded body to the hooks (once; empty bodies are skipped).
  void deliver_body(Dir dir) {
    BodyDecoder& b = side_[dir].body;
    if (!b.active()) return;
    if (!b.body().empty() && out_.hooks())
      out_.hooks()->http_body(flow_, dir, b.body(), b.fed(), b.truncated(), ts_);
    b.reset();
  }

  void count_body(Dir dir, std::uint64_t n) {
    if (dir == kToServer) {
      if (!txs_.empty()) txs_.back().request_body += n;
    } else if (resp_) {
      resp_->response_body += n;
    }
  }

  void message_done(Dir dir) {
    deliver_body(dir);
    side_[dir].state = Side::kStart;
    if (dir == kToClient) {
      resp_ = nullptr;
      // Transactions complete in order; emit the answered ones at the front.
      while (!txs_.empty() && txs_.front().has_response &&
             (txs_.size() > 1 || side_[kToClient].state == Side::kStart))
        emit_front();
    }
  }

  void emit_front() {
    Tx& tx = txs_.front();
    if (&tx == resp_) resp_ = nullptr;
    Json ev = out_.begin(flow_, "http", tx.ts);
    Json h;
    if (!tx.host.empty()) h["hostname"] = tx.host;
    if (!tx.uri.empty()) h["url"] = tx.uri;
    if (!tx.user_agent.empty()) h["http_user_agent"] = tx.user_agent;
    if (!tx.referer.empty()) h["http_refer"] = tx.referer;
    if (!tx.method.empty()) h["http_method"] = tx.method;
    if (!tx.protocol.empty()) h["protocol"] = tx.protocol;
    if (!tx.req_content_type.empty()) h["http_request_content_type"] = tx.req_content_type;
    h["request_body_len"] = tx.request_body;
    if (tx.has_response) {
      h["status"] = tx.status;
      if (!tx.content_type.empty()) h["http_content_type"] = tx.content_type;
      if (!tx.server.empty()) h["server"] = tx.server;
      if (!tx.location.empty()) h["redirect"] = tx.location;
      h["length"] = tx.response_body;
    }
    if (!tx.auth_scheme.empty()) {
      Json a{{"scheme", tx.auth_scheme}};
      if (!tx.auth_user.empty()) a["user"] = tx.auth_user;
      a["password_present"] = tx.password_present;
      h["authorization"] = a;
    }
    if (lost_[0] || lost_[1]) h["gap"] = true;
    ev["http"] = std::move(h);
    out_.emit(ev);
    txs_.pop_front();
  }

  Side side_[2];
  std::deque<Tx> txs_;
  Tx* resp_ = nullptr;  // transaction whose response is being parsed
  bool interim_ = false;
  bool lost_[2] = {false, false};
  std::int64_t ts_ = 0;
};

bool probe(const ProbeInput& in) {
  std::string_view s = as_sv(in.data);
  if (in.dir == kToServer) {
    for (std::string_view m : kMethods)
      if (s.starts_with(m)) return true;
    return false;
  }
  return s.starts_with("HTTP/1.");
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<HttpAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_http{"http", true, false, probe, make};

}  // namespace vigil::sensor

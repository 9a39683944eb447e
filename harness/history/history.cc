#include "harness/history/history.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <zstd.h>

#include "harness/history/json_line.h"

namespace sc {

// ---------------------------------------------------------------- RunClock

RunClock::RunClock() {
  auto wall = std::chrono::system_clock::now();
  start_ = std::chrono::steady_clock::now();
  wall_start_us_ =
      std::chrono::duration_cast<std::chrono::microseconds>(wall.time_since_epoch()).count();
  time_t secs = static_cast<time_t>(wall_start_us_ / 1000000);
  struct tm tm_utc;
  gmtime_r(&secs, &tm_utc);
  char buf[64];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm_utc);
  snprintf(buf + n, sizeof buf - n, ".%06lldZ", static_cast<long long>(wall_start_us_ % 1000000));
  wall_start_ = buf;
}

Nanos RunClock::Now() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start_)
      .count();
}

Nanos RunClock::At(std::chrono::steady_clock::time_point t) const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t - start_).count();
}

Nanos RunClock::FromWallMicros(int64_t unix_us) const { return FromWallNanos(unix_us * 1000); }

Nanos RunClock::FromWallNanos(int64_t unix_ns) const {
  auto ns = [](const timespec& t) { return int64_t{t.tv_sec} * 1000000000 + t.tv_nsec; };
  // wall - mono now: the wall clock read between two monotonic reads, taken
  // only from a bracket of at most 20 us (a thread preempted between the reads
  // would measure a wrong offset), else the best of five.
  int64_t offset = 0, best_bracket = INT64_MAX;
  for (int attempt = 0; attempt < 5 && best_bracket > 20000; ++attempt) {
    timespec m1, wall, m2;
    clock_gettime(CLOCK_MONOTONIC, &m1);
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_gettime(CLOCK_MONOTONIC, &m2);
    const int64_t bracket = ns(m2) - ns(m1);
    if (bracket < best_bracket) {
      best_bracket = bracket;
      offset = ns(wall) - (ns(m1) + bracket / 2);
    }
  }
  // Kept while a new measure stays within 50 us of it (equal stamps, equal
  // instants); a wall-clock step replaces it.
  const int64_t kept = wall_offset_ns_.load(std::memory_order_relaxed);
  if (kept != INT64_MIN && (std::llabs(offset - kept) <= 50000 || best_bracket > 20000)) offset = kept;
  else wall_offset_ns_.store(offset, std::memory_order_relaxed);
  const int64_t start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(start_.time_since_epoch()).count();
  return unix_ns - offset - start_ns;  // run ns = unix ns - (wall - mono) - start
}

// ---------------------------------------------------------------- enums

namespace {
const char* const kErrorNames[] = {"none",    "refused", "timeout",    "reset",     "READONLY",
                                   "NOREPLICAS", "LOADING", "MASTERDOWN", "no-master", "other"};
constexpr int kErrorCount = sizeof(kErrorNames) / sizeof(kErrorNames[0]);

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}
}  // namespace

const char* ToString(OpKind k) { return k == OpKind::kWrite ? "write" : "read"; }

const char* ToString(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kFail: return "fail";
    case Outcome::kUnknown: return "unknown";
  }
  return "unknown";
}

const char* ToString(ErrorClass e) {
  int i = static_cast<int>(e);
  return i >= 0 && i < kErrorCount ? kErrorNames[i] : "other";
}

std::optional<OpKind> ParseOpKind(const std::string& s) {
  if (s == "w" || s == "write") return OpKind::kWrite;
  if (s == "r" || s == "read") return OpKind::kRead;
  return std::nullopt;
}

std::optional<Outcome> ParseOutcome(const std::string& s) {
  if (s == "ok") return Outcome::kOk;
  if (s == "fail") return Outcome::kFail;
  if (s == "unknown" || s == "info") return Outcome::kUnknown;
  return std::nullopt;
}

std::optional<ErrorClass> ParseErrorClass(const std::string& s) {
  for (int i = 0; i < kErrorCount; ++i) {
    if (EqualsIgnoreCase(s, kErrorNames[i])) return static_cast<ErrorClass>(i);
  }
  if (s.empty()) return ErrorClass::kNone;
  return std::nullopt;
}

// ---------------------------------------------------------------- serialization

namespace {

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Appends `s` as a JSON string. Plain ASCII goes straight through; anything
// else is escaped by nlohmann (invalid UTF-8 replaced by U+FFFD).
void AppendString(std::string& out, const std::string& s) {
  bool plain = true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

void AppendKey(std::string& out, const char* key) {
  out += ",\"";
  out += key;
  out += "\":";
}

void AppendStringField(std::string& out, const char* key, const std::string& v) {
  if (v.empty()) return;
  AppendKey(out, key);
  AppendString(out, v);
}

Nanos ToMicros(Nanos t) { return t - t % 1000; }

void AppendOpLine(std::string& out, const Op& op) {
  out += "{\"t\":\"op\",\"c\":";
  AppendInt(out, op.client);
  out += ",\"s\":";
  AppendInt(out, static_cast<int64_t>(op.seq));
  out += op.kind == OpKind::kWrite ? ",\"k\":\"w\",\"v\":" : ",\"k\":\"r\",\"v\":";
  AppendString(out, op.value);
  // Operation instants to the microsecond (still in ns): the digits below it
  // are noise (a syscall takes longer) and cost a fifth of the journal.
  out += ",\"i\":";
  AppendInt(out, ToMicros(op.invoke));
  out += ",\"e\":";
  AppendInt(out, ToMicros(op.complete));
  out += ",\"o\":\"";
  out += ToString(op.outcome);
  out += '"';
  if (op.error != ErrorClass::kNone) {
    out += ",\"x\":\"";
    out += ToString(op.error);
    out += '"';
  }
  AppendStringField(out, "m", op.error_text);
  AppendStringField(out, "srv", op.server);
  out += '}';
}

// An event's values as written: the set workload's elements as ranges, every
// other value as it is (sorted, so that the journal stays small).
struct WrittenValues {
  std::vector<std::string> ranges;
  std::vector<std::string> values;
  size_t size() const { return ranges.size() + values.size(); }
};

WrittenValues Compact(const Event& ev) {
  WrittenValues w;
  if (ev.values.size() < 2 && ev.ranges.empty()) {
    w.values = ev.values;
    return w;
  }
  ElementRanges elements;
  for (const auto& v : ev.values)
    if (!elements.Add(v)) w.values.push_back(v);
  std::sort(w.values.begin(), w.values.end());
  w.ranges = elements.Ranges();
  w.ranges.insert(w.ranges.end(), ev.ranges.begin(), ev.ranges.end());
  return w;
}

void AppendStrings(std::string& out, const char* key, const std::vector<std::string>& v, size_t begin, size_t end) {
  if (end <= begin) return;
  AppendKey(out, key);
  out += '[';
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += ',';
    AppendString(out, v[i]);
  }
  out += ']';
}

// Writes items [begin, end) of `w` (its ranges, then its values); part/parts
// only when split.
void AppendEventLine(std::string& out, const Event& ev, const WrittenValues& w, size_t begin, size_t end, int part,
                     int parts) {
  out += "{\"t\":\"ev\",\"at\":";
  AppendInt(out, ev.at);
  AppendKey(out, "type");
  AppendString(out, ev.type);
  AppendStringField(out, "node", ev.node);
  AppendStringField(out, "name", ev.name);
  AppendStringField(out, "kind", ev.kind);
  AppendStringField(out, "target", ev.target);
  AppendStringField(out, "role", ev.role);
  AppendStringField(out, "master", ev.master);
  AppendStringField(out, "detail", ev.detail);
  if (ev.value != 0) {
    AppendKey(out, "value");
    AppendInt(out, ev.value);
  }
  if (ev.scheduled) {
    AppendKey(out, "scheduled");
    AppendInt(out, *ev.scheduled);
  }
  AppendStringField(out, "source", ev.source);
  if (parts > 1) {
    AppendKey(out, "part");
    AppendInt(out, part);
    AppendKey(out, "parts");
    AppendInt(out, parts);
  }
  const size_t r = w.ranges.size();
  AppendStrings(out, "ranges", w.ranges, std::min(begin, r), std::min(end, r));
  AppendStrings(out, "values", w.values, std::max(begin, r) - r, std::max(end, r) - r);
  out += '}';
}

}  // namespace

bool ElementRanges::Add(const std::string& v) {
  auto digits = [&v](size_t b, size_t e, uint64_t* out) {
    if (b >= e || e - b > 18 || (v[b] == '0' && e - b > 1)) return false;
    uint64_t n = 0;
    for (size_t i = b; i < e; ++i) {
      if (v[i] < '0' || v[i] > '9') return false;
      n = n * 10 + static_cast<uint64_t>(v[i] - '0');
    }
    *out = n;
    return true;
  };
  if (v.size() < 4 || v[0] != 'c') return false;
  const size_t dash = v.find('-');
  uint64_t client = 0, seq = 0;
  if (dash == std::string::npos || !digits(1, dash, &client) || !digits(dash + 1, v.size(), &seq) ||
      client > UINT32_MAX)
    return false;
  elements_.emplace_back(static_cast<uint32_t>(client), seq);
  ++count_;
  return true;
}

std::vector<std::string> ElementRanges::Ranges() const {
  auto e = elements_;
  std::sort(e.begin(), e.end());
  e.erase(std::unique(e.begin(), e.end()), e.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < e.size();) {
    size_t j = i;
    while (j + 1 < e.size() && e[j + 1].first == e[i].first && e[j + 1].second == e[j].second + 1) ++j;
    std::string r = "c" + std::to_string(e[i].first) + "-" + std::to_string(e[i].second);
    if (j > i) r += ".." + std::to_string(e[j].second);
    out.push_back(std::move(r));
    i = j + 1;
  }
  return out;
}

void ElementRanges::Clear() {
  elements_.clear();
  elements_.shrink_to_fit();
  count_ = 0;
}

std::string ToJsonLine(const Op& op) {
  std::string out;
  out.reserve(128);
  AppendOpLine(out, op);
  return out;
}

std::string ToJsonLine(const Event& ev) {
  std::string out;
  WrittenValues w = Compact(ev);
  AppendEventLine(out, ev, w, 0, w.size(), 0, 1);
  return out;
}

nlohmann::json ToJson(const Op& op) {
  return nlohmann::json::parse(ToJsonLine(op));
}

nlohmann::json ToJson(const Event& ev) {
  return nlohmann::json::parse(ToJsonLine(ev));
}

// ---------------------------------------------------------------- JournalWriter

struct JournalWriter::Impl {
  std::string path;
  int fd = -1;
  std::chrono::milliseconds interval;

  std::mutex buf_mu;  // guards buf, stop, closed
  std::condition_variable wake;
  std::string buf;
  bool stop = false;
  bool closed = false;

  std::mutex file_mu;  // serializes writes to fd, guards fd, error, cctx, zout
  std::string error;
  ZSTD_CCtx* cctx = nullptr;  // set: every flush writes one zstd frame
  std::string zout;
  std::string out;  // reused between flushes

  std::thread flusher;

  ~Impl() {
    if (cctx != nullptr) ZSTD_freeCCtx(cctx);
  }

  // Moves the buffer to the file. Returns false (and keeps `error`) on failure.
  bool FlushNow() {
    std::lock_guard<std::mutex> file_lock(file_mu);
    out.clear();
    {
      std::lock_guard<std::mutex> lock(buf_mu);
      out.swap(buf);
    }
    if (fd < 0 || !error.empty() || out.empty()) return error.empty();
    std::string_view data = out;
    if (cctx != nullptr) {
      // A whole frame per flush: what is on disk is always complete frames,
      // bar the one a kill interrupts while it is being written.
      zout.resize(ZSTD_compressBound(out.size()));
      size_t n = ZSTD_compress2(cctx, zout.data(), zout.size(), out.data(), out.size());
      if (ZSTD_isError(n)) {
        error = path + ": cannot compress journal: " + ZSTD_getErrorName(n);
        return false;
      }
      data = std::string_view(zout.data(), n);
    }
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        error = path + ": cannot write journal: " + std::strerror(errno);
        return false;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return true;
  }

  void Run() {
    std::unique_lock<std::mutex> lock(buf_mu);
    while (!stop) {
      wake.wait_for(lock, interval);
      lock.unlock();
      FlushNow();
      lock.lock();
    }
  }

  void Add(const std::string& line) {
    bool big;
    {
      std::lock_guard<std::mutex> lock(buf_mu);
      if (closed) throw std::logic_error(path + ": entry appended to the journal after Close (it would be lost)");
      buf += line;
      big = buf.size() > (1u << 20);
    }
    if (big) FlushNow();
  }
};

JournalWriter::JournalWriter(const std::string& path, const nlohmann::json& meta,
                             std::chrono::milliseconds flush_interval)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->interval = flush_interval;
  impl_->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (impl_->fd < 0) {
    throw std::runtime_error(path + ": cannot create journal: " + std::strerror(errno));
  }
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0) {
    impl_->cctx = ZSTD_createCCtx();
    if (impl_->cctx == nullptr) {
      ::close(impl_->fd);
      throw std::runtime_error(path + ": cannot create a zstd context");
    }
    ZSTD_CCtx_setParameter(impl_->cctx, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(impl_->cctx, ZSTD_c_checksumFlag, 1);
  }
  nlohmann::json header = {{"t", "meta"}, {"version", 1}, {"meta", meta}};
  impl_->buf = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (!impl_->FlushNow()) {
    ::close(impl_->fd);
    throw std::runtime_error(impl_->error);
  }
  impl_->flusher = std::thread([this] { impl_->Run(); });
}

JournalWriter::~JournalWriter() {
  try {
    Close();
  } catch (...) {
    // A destructor cannot report; Close() callers see the error.
  }
}

void JournalWriter::Append(const Op& op) {
  thread_local std::string line;
  line.clear();
  AppendOpLine(line, op);
  line += '\n';
  impl_->Add(line);
}

void JournalWriter::Append(const Event& ev) {
  thread_local std::string line;
  WrittenValues w = Compact(ev);
  size_t n = w.size();
  int parts = n <= kMaxValuesPerLine ? 1 : static_cast<int>((n + kMaxValuesPerLine - 1) / kMaxValuesPerLine);
  for (int part = 0; part < parts; ++part) {
    size_t begin = static_cast<size_t>(part) * kMaxValuesPerLine;
    size_t end = std::min(n, begin + kMaxValuesPerLine);
    line.clear();
    AppendEventLine(line, ev, w, begin, end, part, parts);
    line += '\n';
    impl_->Add(line);
  }
}

void JournalWriter::Flush() {
  if (!impl_->FlushNow()) throw std::runtime_error(impl_->error);
}

void JournalWriter::Close() {
  {
    // From here on Append throws; whatever it added before is in buf and
    // goes out with the last flush below.
    std::lock_guard<std::mutex> lock(impl_->buf_mu);
    if (impl_->closed) return;
    impl_->closed = true;
    impl_->stop = true;
  }
  impl_->wake.notify_all();
  if (impl_->flusher.joinable()) impl_->flusher.join();
  bool ok = impl_->FlushNow();
  std::lock_guard<std::mutex> file_lock(impl_->file_mu);
  if (impl_->fd >= 0 && ::close(impl_->fd) != 0 && ok) {
    impl_->error = impl_->path + ": cannot close journal: " + std::strerror(errno);
  }
  impl_->fd = -1;
  if (!impl_->error.empty()) throw std::runtime_error(impl_->error);
}

const std::string& JournalWriter::path() const { return impl_->path; }

// ---------------------------------------------------------------- JournalReader

namespace {

// Fills `op` from the fields of one line. Returns an error text or "".
std::string OpFromFields(const FlatObject& f, Op& op) {
  op.client = 0;
  op.seq = 0;
  op.kind = OpKind::kWrite;
  op.value.clear();
  op.invoke = op.complete = 0;
  op.outcome = Outcome::kOk;
  op.error = ErrorClass::kNone;
  op.error_text.clear();
  op.server.clear();
  for (const FlatField& x : f.fields) {
    std::string_view k = x.key;
    if (k == "c") {
      op.client = static_cast<int>(x.num);
    } else if (k == "s") {
      op.seq = static_cast<uint64_t>(x.num);
    } else if (k == "k") {
      if (x.str == "w" || x.str == "r") {
        op.kind = x.str == "w" ? OpKind::kWrite : OpKind::kRead;
        continue;
      }
      auto kind = ParseOpKind(std::string(x.str));
      if (!kind) return "unknown op kind \"" + std::string(x.str) + "\"";
      op.kind = *kind;
    } else if (k == "v") {
      op.value.assign(x.str);
    } else if (k == "i") {
      op.invoke = x.num;
    } else if (k == "e") {
      op.complete = x.num;
    } else if (k == "o") {
      if (x.str == "ok") {
        op.outcome = Outcome::kOk;
      } else {
        auto o = ParseOutcome(std::string(x.str));
        if (!o) return "unknown outcome \"" + std::string(x.str) + "\"";
        op.outcome = *o;
      }
    } else if (k == "x") {
      auto e = ParseErrorClass(std::string(x.str));
      op.error = e ? *e : ErrorClass::kOther;
    } else if (k == "m") {
      op.error_text.assign(x.str);
    } else if (k == "srv") {
      op.server.assign(x.str);
    }
  }
  return "";
}

}  // namespace

void ExpandRange(std::string_view r, std::vector<std::string>& out) {
  size_t dash = r.find('-'), dots = r.find("..");
  uint64_t first = 0, last = 0;
  auto number = [](std::string_view s, uint64_t* n) {
    if (s.empty() || s.size() > 18) return false;
    *n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      *n = *n * 10 + static_cast<uint64_t>(c - '0');
    }
    return true;
  };
  if (dash == std::string_view::npos || dots == std::string_view::npos || dots < dash ||
      !number(r.substr(dash + 1, dots - dash - 1), &first) || !number(r.substr(dots + 2), &last) || last < first ||
      last - first > 1000000000) {
    out.emplace_back(r);
    return;
  }
  const std::string prefix(r.substr(0, dash + 1));
  out.reserve(out.size() + (last - first + 1));
  for (uint64_t q = first; q <= last; ++q) out.push_back(prefix + std::to_string(q));
}

namespace {

// Fills `ev` from a parsed line; "ranges" are expanded into `values` unless
// `keep_ranges` (then they stay compact in `ev.ranges`).
void EventFromFields(const FlatObject& f, bool keep_ranges, Event& ev) {
  ev.at = 0;
  ev.type.clear();
  ev.node.clear();
  ev.name.clear();
  ev.kind.clear();
  ev.target.clear();
  ev.role.clear();
  ev.master.clear();
  ev.detail.clear();
  ev.values.clear();
  ev.ranges.clear();
  ev.value = 0;
  ev.scheduled.reset();
  ev.source.clear();
  for (const FlatField& x : f.fields) {
    std::string_view k = x.key;
    if (k == "at") ev.at = x.num;
    else if (k == "type") ev.type.assign(x.str);
    else if (k == "node") ev.node.assign(x.str);
    else if (k == "name") ev.name.assign(x.str);
    else if (k == "kind") ev.kind.assign(x.str);
    else if (k == "target") ev.target.assign(x.str);
    else if (k == "role") ev.role.assign(x.str);
    else if (k == "master") ev.master.assign(x.str);
    else if (k == "detail") ev.detail.assign(x.str);
    else if (k == "value") ev.value = x.num;
    else if (k == "scheduled") ev.scheduled = x.num;
    else if (k == "source") ev.source.assign(x.str);
    else if (k == "values") {
      ev.values.reserve(ev.values.size() + (x.items_end - x.items_begin));
      for (size_t i = x.items_begin; i < x.items_end; ++i) ev.values.emplace_back(f.items[i]);
    } else if (k == "ranges") {
      for (size_t i = x.items_begin; i < x.items_end; ++i) {
        if (keep_ranges) ev.ranges.emplace_back(f.items[i]);
        else ExpandRange(f.items[i], ev.values);
      }
    }
  }
}

std::string Excerpt(std::string_view line) {
  std::string s(line.substr(0, 60));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return line.size() > 60 ? "\"" + s + "...\"" : "\"" + s + "\"";
}

class LineHandler {
 public:
  LineHandler(const JournalReader& r) : r_(r) {}

  // An op line the splitting thread already parsed.
  void HandleOp(const Op& op) {
    ++entries_;
    if (r_.on_op) r_.on_op(op);
  }

  // Any other line (trimmed, not empty, not a fast-path op line). Returns ""
  // or the reason the line is damaged.
  std::string Handle(std::string_view line) {
    if (!ParseFlatObject(line, &flat_)) {
      // Not flat (meta, escapes, floats ...): the general parser decides.
      try {
        json_ = nlohmann::json::parse(line.begin(), line.end());
      } catch (const nlohmann::json::exception& e) {
        return std::string("not JSON: ") + e.what() + ", line starts " + Excerpt(line);
      }
      if (!json_.is_object()) return "not a JSON object, line starts " + Excerpt(line);
      auto t = json_.find("t");
      if (t != json_.end() && *t == "meta") {
        if (r_.on_meta) r_.on_meta(json_.value("meta", nlohmann::json::object()));
        return "";
      }
      FlatFromJson(json_, &flat_);
    }
    const FlatField* t = flat_.Find("t");
    if (t == nullptr) return "no \"t\" key, line starts " + Excerpt(line);
    if (t->str == "op") {
      std::string err = OpFromFields(flat_, op_);
      if (!err.empty()) return err;
      ++entries_;
      if (r_.on_op) r_.on_op(op_);
    } else if (t->str == "ev") {
      EventFromFields(flat_, !r_.expand_ranges, ev_);
      ++entries_;
      if (r_.on_event) r_.on_event(ev_);
    }
    return "";
  }

  int64_t entries() const { return entries_; }

 private:
  const JournalReader& r_;
  FlatObject flat_;
  nlohmann::json json_;
  Op op_;
  Event ev_;
  int64_t entries_ = 0;
};

}  // namespace

std::string ParseOpLine(std::string_view line, Op* op) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) line.remove_suffix(1);
  if (ParseOpLineFast(line, op)) return "";
  FlatObject flat;
  nlohmann::json j;
  if (!ParseFlatObject(line, &flat)) {
    try {
      j = nlohmann::json::parse(line.begin(), line.end());
    } catch (const nlohmann::json::exception& e) {
      return std::string("not JSON: ") + e.what() + ", line starts " + Excerpt(line);
    }
    if (!j.is_object()) return "not a JSON object, line starts " + Excerpt(line);
    FlatFromJson(j, &flat);
  }
  const FlatField* t = flat.Find("t");
  if (t == nullptr || t->str != "op") return "not an op line (\"t\" is not \"op\"), line starts " + Excerpt(line);
  for (const char* key : {"c", "s", "k", "i", "e", "o"})
    if (flat.Find(key) == nullptr) return std::string("op line without \"") + key + "\", line starts " + Excerpt(line);
  return OpFromFields(flat, *op);
}
namespace {

// The journal's bytes, decompressed if the file is zstd (any number of
// frames). Fill() returns 0 only at the end; `damage` then says why the data
// ended early ("" when it ended cleanly).
class JournalBytes {
 public:
  JournalBytes(FILE* f, const std::string& path) : f_(f), path_(path) {
    unsigned char magic[4] = {0, 0, 0, 0};
    size_t n = std::fread(magic, 1, 4, f_);
    CheckRead();
    pending_.assign(reinterpret_cast<char*>(magic), n);
    zstd_ = n == 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD;
    if (zstd_) {
      dctx_ = ZSTD_createDCtx();
      if (dctx_ == nullptr) throw std::runtime_error(path_ + ": cannot create a zstd context");
      in_.resize(ZSTD_DStreamInSize() * 4);
      std::memcpy(in_.data(), pending_.data(), pending_.size());
      zin_ = {in_.data(), pending_.size(), 0};
      pending_.clear();
    }
  }
  ~JournalBytes() {
    if (dctx_ != nullptr) ZSTD_freeDCtx(dctx_);
  }

  size_t Fill(char* dst, size_t cap) {
    if (!zstd_) {
      size_t n = 0;
      if (!pending_.empty()) {
        n = std::min(cap, pending_.size());
        std::memcpy(dst, pending_.data(), n);
        pending_.erase(0, n);
      }
      n += std::fread(dst + n, 1, cap - n, f_);
      CheckRead();
      return n;
    }
    ZSTD_outBuffer out = {dst, cap, 0};
    while (out.pos == 0 && damage.empty()) {
      if (zin_.pos == zin_.size) {
        if (in_eof_) {
          if (frame_open_) damage = "compressed data ends mid-frame";
          return 0;
        }
        size_t n = std::fread(in_.data(), 1, in_.size(), f_);
        CheckRead();
        if (n == 0) in_eof_ = true;
        zin_ = {in_.data(), n, 0};
        continue;
      }
      size_t r = ZSTD_decompressStream(dctx_, &out, &zin_);
      if (ZSTD_isError(r)) {
        damage = std::string("compressed data damaged: ") + ZSTD_getErrorName(r);
        break;
      }
      frame_open_ = r != 0;
      if (out.pos == out.size) break;
    }
    return out.pos;
  }

  std::string damage;

 private:
  void CheckRead() {
    if (std::ferror(f_)) throw std::runtime_error(path_ + ": cannot read journal: " + std::strerror(errno));
  }
  FILE* f_;
  std::string path_;
  bool zstd_ = false;
  std::string pending_;  // plain: the bytes read to look for the magic
  ZSTD_DCtx* dctx_ = nullptr;
  std::vector<char> in_;
  ZSTD_inBuffer zin_ = {nullptr, 0, 0};
  bool in_eof_ = false;
  bool frame_open_ = false;
};

}  // namespace

namespace {

// Objects handed from one thread to another round a small fixed pool, so
// that their buffers keep their capacity: a producer takes a free one (Take),
// fills it and hands it on (Give); a consumer gets them (Next: the oldest;
// NextWhere: the first that matches) and hands them back (Recycle). After
// Stop, Take and Next return nullptr instead of waiting.
template <class T>
class Handoff {
 public:
  explicit Handoff(int size, const std::function<void(T&)>& init) {
    for (int i = 0; i < size; ++i) {
      pool_.push_back(std::make_unique<T>());
      init(*pool_.back());
      free_.push_back(pool_.back().get());
    }
  }
  T* Take() { return Pop(free_, [](const T&) { return true; }); }
  void Give(T* t) { Push(full_, t); }
  T* Next() { return Pop(full_, [](const T&) { return true; }); }
  template <class Pred>
  T* NextWhere(const Pred& pred) { return Pop(full_, pred); }
  void Recycle(T* t) { Push(free_, t); }
  void Stop() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
  }

 private:
  template <class Pred>
  T* Pop(std::deque<T*>& q, const Pred& pred) {
    std::unique_lock<std::mutex> l(mu_);
    typename std::deque<T*>::iterator it;
    cv_.wait(l, [&] {
      if (stop_) return true;
      it = std::find_if(q.begin(), q.end(), [&](T* t) { return pred(*t); });
      return it != q.end();
    });
    if (stop_) return nullptr;
    T* t = *it;
    q.erase(it);
    return t;
  }
  void Push(std::deque<T*>& q, T* t) {
    {
      std::lock_guard<std::mutex> l(mu_);
      q.push_back(t);
    }
    cv_.notify_all();
  }

  std::vector<std::unique_ptr<T>> pool_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T*> free_, full_;
  bool stop_ = false;
};

// A run of the journal's bytes (decompressed), in file order, cut after a
// '\n': whole lines only, except that the last run may end with a line
// without one. The last run says how the bytes ended.
struct ByteChunk {
  std::vector<char> data;
  size_t size = 0;
  int64_t seq = 0;
  bool last = false;
  std::string damage;        // last chunk: why the bytes ended early ("" when cleanly)
  std::exception_ptr error;  // last chunk: what reading or decompressing threw
};

// One line of the journal as a parsing thread hands it over: an op line it
// already parsed (the bulk of a journal), or any other line's text for the
// reading thread to parse.
struct SplitLine {
  int64_t line_no = 0;  // within its chunk, from 1
  bool is_op = false;
  Op op;
  std::string text;
};

// The lines of one chunk.
struct SplitBatch {
  std::vector<SplitLine> lines;  // the first `size` are this chunk's
  size_t size = 0;
  int64_t seq = 0;
  int64_t line_count = 0;    // lines in the chunk, empty ones too
  bool last = false;
  std::string damage;        // last batch: why the bytes ended early ("" when cleanly)
  std::exception_ptr error;  // last batch: what reading, decompressing or parsing threw
};

// Reads the journal on threads of its own, a few chunks ahead of the caller:
// one reads and decompresses it and cuts it into chunks of whole lines, two
// split chunks into lines and parse the op lines (whichever is free takes the
// next chunk); the caller's thread gets the batches back in file order and
// runs the callbacks. On a machine with two cores the stages overlap, and no
// single stage holds the others up (docs/history.md). Destroying it stops and
// joins the threads.
class LineSplitter {
 public:
  static constexpr size_t kChunkBytes = 2 << 20;  // grown for a longer line
  static constexpr int kParsers = 2;
  static constexpr int kChunks = kParsers + 2;
  static constexpr int kBatches = kParsers + 2;

  LineSplitter(FILE* f, const std::string& path)
      : f_(f),
        path_(path),
        chunks_(kChunks, [](ByteChunk& c) { c.data.resize(kChunkBytes); }),
        batches_(kBatches, [](SplitBatch&) {}) {
    inflate_thread_ = std::thread([this] { Inflate(); });
    for (int i = 0; i < kParsers; ++i) parse_threads_.emplace_back([this] { Parse(); });
  }
  ~LineSplitter() {
    chunks_.Stop();
    batches_.Stop();
    inflate_thread_.join();
    for (auto& t : parse_threads_) t.join();
  }
  LineSplitter(const LineSplitter&) = delete;
  LineSplitter& operator=(const LineSplitter&) = delete;

  // The next batch in file order (blocks; never nullptr: only the destructor
  // stops the batches); hand it back with Recycle.
  SplitBatch* Next() {
    const int64_t want = next_seq_++;
    return batches_.NextWhere([want](const SplitBatch& b) { return b.seq == want; });
  }
  void Recycle(SplitBatch* b) { batches_.Recycle(b); }

 private:
  // The first thread: the file's bytes, decompressed, in chunks that end
  // after a '\n' (the bytes after the chunk's last one start the next chunk).
  void Inflate() {
    ByteChunk* c = chunks_.Take();
    if (c == nullptr) return;
    int64_t seq = 0;
    std::string tail;  // the start of a line that the last chunk's end cut
    try {
      JournalBytes bytes(f_, path_);
      for (;;) {
        c->seq = seq++;
        c->last = false;
        c->damage.clear();
        c->error = nullptr;
        if (c->data.size() < tail.size() + kChunkBytes / 2) c->data.resize(tail.size() + kChunkBytes);
        std::memcpy(c->data.data(), tail.data(), tail.size());
        size_t have = tail.size();
        const char* cut = nullptr;  // one past the chunk's last '\n'
        for (;;) {
          // Fill the chunk; a zstd frame then decodes straight into it.
          const size_t n = bytes.Fill(c->data.data() + have, c->data.size() - have);
          if (n == 0) break;
          have += n;
          if (have < c->data.size()) continue;
          const void* nl = memrchr(c->data.data(), '\n', have);
          if (nl != nullptr) {
            cut = static_cast<const char*>(nl) + 1;
            break;
          }
          c->data.resize(c->data.size() * 2);  // one line longer than the chunk
        }
        if (cut == nullptr) {  // the end: the rest is the last chunk
          c->size = have;
          c->last = true;
          c->damage = bytes.damage;
          break;
        }
        c->size = cut - c->data.data();
        tail.assign(cut, c->data.data() + have - cut);
        chunks_.Give(c);
        if ((c = chunks_.Take()) == nullptr) return;
      }
    } catch (...) {
      c->size = 0;
      c->last = true;
      c->error = std::current_exception();
    }
    chunks_.Give(c);
  }

  // The parsing threads: one chunk at a time into a batch of its own.
  void Parse() {
    for (;;) {
      // A batch first, then a chunk: a thread that holds a chunk can always
      // hand its batch on, so the caller, waiting for that batch, never waits
      // for a batch the other thread holds back.
      SplitBatch* b = batches_.Take();
      if (b == nullptr) return;
      ByteChunk* c = chunks_.Next();
      if (c == nullptr) return;
      if (c->last) chunks_.Stop();  // the other parsing thread: nothing more to take
      b->size = 0;
      b->seq = c->seq;
      b->line_count = 0;
      b->last = c->last;
      b->damage = c->damage;
      b->error = c->error;
      try {
        SplitChunk(*c, *b);
      } catch (...) {
        b->last = true;
        b->error = std::current_exception();
      }
      chunks_.Recycle(c);
      batches_.Give(b);
      if (b->last) return;
    }
  }

  void SplitChunk(const ByteChunk& c, SplitBatch& b) {
    const char* p = c.data.data();
    const char* const end = p + c.size;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
      if (nl == nullptr) {
        // A last line without '\n' is a line, unless the bytes ended early
        // (a cut line is not a line).
        if (b.damage.empty() && !b.error) AddLine(std::string_view(p, end - p), b);
        return;
      }
      AddLine(std::string_view(p, nl - p), b);
      p = nl + 1;
    }
  }

  static void AddLine(std::string_view line, SplitBatch& b) {
    ++b.line_count;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) return;
    if (b.size == b.lines.size()) b.lines.resize(b.lines.size() + b.lines.size() / 2 + 1024);
    SplitLine& out = b.lines[b.size++];
    out.line_no = b.line_count;
    out.is_op = ParseOpLineFast(line, &out.op);
    if (!out.is_op) out.text.assign(line);
  }

  FILE* f_;
  const std::string path_;
  Handoff<ByteChunk> chunks_;
  Handoff<SplitBatch> batches_;
  int64_t next_seq_ = 0;  // the batch the caller gets next
  std::thread inflate_thread_;
  std::vector<std::thread> parse_threads_;
};

}  // namespace

std::string JournalReader::Read(const std::string& path) const {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    throw std::runtime_error(path + ": cannot open journal: " + std::strerror(errno));
  }
  struct Closer {
    FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{f};
  LineHandler handler(*this);
  auto damaged = [&](int64_t line_no, const std::string& why) {
    return path + ":" + std::to_string(line_no) + ": journal damaged here (" + why + "); read " +
           std::to_string(handler.entries()) + " entries before it";
  };
  LineSplitter split(f, path);  // joined before the file closes
  int64_t lines_before = 0;      // lines in the batches before this one
  for (;;) {
    SplitBatch* b = split.Next();
    for (size_t i = 0; i < b->size; ++i) {
      SplitLine& l = b->lines[i];
      if (l.is_op) {
        handler.HandleOp(l.op);
        continue;
      }
      std::string why = handler.Handle(l.text);
      if (!why.empty()) return damaged(lines_before + l.line_no, why);
    }
    lines_before += b->line_count;
    if (b->last) {
      if (b->error) std::rethrow_exception(b->error);
      return b->damage.empty() ? "" : damaged(lines_before + 1, b->damage);
    }
    split.Recycle(b);
  }
}

}  // namespace sc

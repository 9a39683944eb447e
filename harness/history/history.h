// The run's history: every client operation and every observed event, on one
// clock (monotonic nanoseconds since the run started), appended to one journal.
//
// Journal format: JSON Lines (docs/history.md), optionally zstd-compressed as
// it is written (a path ending in ".zst"). Writers stream entries as they
// happen; readers tolerate a damaged tail (a crash mid-line or mid-frame) by
// stopping there with a warning. Producers (load generator, observer, faults, runner) only
// append; checkers only read. Neither knows about the other.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sc {

// Nanoseconds since the run's start, from CLOCK_MONOTONIC.
using Nanos = int64_t;

// The run's clock. One instance per run, shared by every producer.
class RunClock {
 public:
  RunClock();
  Nanos Now() const;
  // Wall-clock time (ISO 8601, UTC, microseconds) of the clock's zero.
  const std::string& WallStart() const { return wall_start_; }
  // Unix epoch microseconds of the clock's zero, to place log lines on the axis.
  int64_t WallStartMicros() const { return wall_start_us_; }
  // CLOCK_MONOTONIC (nanoseconds) at the clock's zero. CLOCK_MONOTONIC is one
  // clock for every process and network namespace of the machine, so a child
  // program stamps on the run clock as clock_gettime(CLOCK_MONOTONIC) - this.
  int64_t MonotonicZeroNs() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(start_.time_since_epoch()).count();
  }
  // The run-clock instant of a steady_clock time point (taken by a fault right
  // after its effect, for instance).
  Nanos At(std::chrono::steady_clock::time_point t) const;
  // The run-clock instant of a wall-clock instant (a log line's time stamp),
  // through the offset between the wall and the monotonic clock measured now,
  // so that a wall-clock step since the start does not shift it. The offset
  // is kept while a new measure stays within 50 us of it (the two clocks are
  // read one after the other, tens of ns apart): equal stamps map to equal
  // instants, so two log lines of the same millisecond keep their order.
  Nanos FromWallMicros(int64_t unix_us) const;
  Nanos FromWallNanos(int64_t unix_ns) const;

 private:
  std::chrono::steady_clock::time_point start_;
  std::string wall_start_;
  int64_t wall_start_us_;
  mutable std::atomic<int64_t> wall_offset_ns_{INT64_MIN};  // wall - monotonic; INT64_MIN: not yet measured
};

enum class OpKind { kWrite, kRead };
enum class Outcome { kOk, kFail, kUnknown };

// Why an operation was not ok. kNone for ok operations.
enum class ErrorClass {
  kNone,
  kRefused,     // connect refused / no route: certainly not applied (fail)
  kTimeout,     // sent, no reply in time (unknown) or connect timeout (fail)
  kReset,       // connection broke after sending (unknown)
  kReadonly,    // -READONLY (fail)
  kNoreplicas,  // -NOREPLICAS (fail)
  kLoading,     // -LOADING (fail)
  kMasterdown,  // -MASTERDOWN (fail)
  kNoMaster,    // client could not find a master to talk to (fail)
  kOther,       // anything else; text in Op::error_text
};

const char* ToString(OpKind k);
const char* ToString(Outcome o);
const char* ToString(ErrorClass e);
std::optional<OpKind> ParseOpKind(const std::string& s);
std::optional<Outcome> ParseOutcome(const std::string& s);
std::optional<ErrorClass> ParseErrorClass(const std::string& s);

// One client request, recorded when it completes.
struct Op {
  int client = 0;         // 0-based client index
  uint64_t seq = 0;       // per-client sequence number, from 0
  OpKind kind = OpKind::kWrite;
  std::string value;      // set workload: the element added ("c3-17");
                          // counter: "1" (the increment); reads: "" or the key
  Nanos invoke = 0;       // when the request was sent (or first tried)
  Nanos complete = 0;     // when the reply, error or timeout arrived
  Outcome outcome = Outcome::kOk;
  ErrorClass error = ErrorClass::kNone;
  std::string error_text; // redis error text or errno text; empty for ok
  std::string server;     // address the client talked to ("10.213.4.11:6379"), may be ""
};

// Anything that is not a client operation: observer, Sentinel, fault, VIP and
// runner entries. `type` says which; the other fields are optional by type:
//   "role"            node, role ("master" | "replica" | "down" | "frozen" | "unknown"),
//                     detail = master it replicates from, if any
//   "sentinel-view"   node (the Sentinel's server), master (node name it believes is master)
//   "sentinel-event"  node (the Sentinel's server), name (+sdown, +switch-master, ...), detail
//   "sentinel-event"  ... at = when Sentinel logged it (source "sentinel-log"),
//                     value = ns the pub/sub message arrived later; or at = arrival
//                     (source "pubsub") when its log cannot be read
//   "became-master"   node, detail: the server's own "MASTER MODE enabled" log
//                     line (source "redis-log"): the instant it was promoted
//   "vip"             node (holders now, comma-separated; "" when nobody holds it),
//                     detail. Source "vip-hook": at = the hook's own stamp of
//                     the move (exact); source "poll": a 20 ms poll saw it
//   "vip-poll"        node, detail: what the 20 ms poll saw, kept as a cross-check
//                     when the "vip" events come from the hook
//   "fault-start"     name (fault id), kind, target (resolved), detail; at = the
//                     instant the fault came into force (signal delivered, rules
//                     committed, link down), scheduled = when the plan wanted it
//                     A fault the runner could not apply (no single master to
//                     target, ...) is a fault-start with an empty target and
//                     detail kFaultNotApplied + the reason: it never came into force
//   "fault-stop"      name, kind, target, detail; at = the instant it went out of
//                     force, scheduled = when the plan (or `for`) wanted that
//   "phase"           name ("up", "load", "heal", "settle", "final-read", "done"), detail
//   "final-read"      node, role, values (every element / the counter value), detail
//   "key-read"        node (the master read), name (the key), values (its elements): a finished
//                     key of a rotating-key run (load key-ops), read and then deleted
//   "settle"          detail ("settled" | reason it did not), value = ns it took
//   "note"            detail (anything a human should see)
// The detail of a fault-start that was not applied starts with this.
inline constexpr char kFaultNotApplied[] = "not applied: ";

struct Event {
  Nanos at = 0;
  std::string type;
  std::string node;
  std::string name;
  std::string kind;
  std::string target;
  std::string role;
  std::string master;
  std::string detail;
  std::vector<std::string> values;
  // More values, already compacted (ElementRanges::Ranges): the writer puts
  // them with its own ranges; a reader expands them into `values` and leaves
  // this empty, so consumers only ever look at `values` (unless they ask the
  // reader to keep them: JournalReader::expand_ranges).
  std::vector<std::string> ranges;
  int64_t value = 0;
  // fault-start / fault-stop: the scheduled instant (`at` is when it happened).
  std::optional<Nanos> scheduled;
  // Where `at` comes from when it is not the writer's own clock reading:
  // "sentinel-log", "redis-log", "vip-hook", "poll" ... (docs/history.md).
  std::string source;
};

// The set workload's elements, c<client>-<seq>, held as numbers (8 bytes
// each, not a string) and given back as sorted ranges: "c3-0..17220" stands
// for c3-0, c3-1, ... c3-17220, a lone element is itself ("c3-9").
// The journal writes an event's elements this way (docs/history.md, key
// "ranges"), so a final read of a big set costs bytes per gap, not per element.
class ElementRanges {
 public:
  // Keeps `value` and returns true when it is such an element (no leading
  // zeros, so that the ranges expand back to exactly the same strings);
  // returns false and keeps nothing for any other value.
  bool Add(const std::string& value);
  size_t size() const { return count_; }  // elements added (duplicates included)
  // Sorted by client, then seq; duplicates once.
  std::vector<std::string> Ranges() const;
  void Clear();

 private:
  std::vector<std::pair<uint32_t, uint64_t>> elements_;
  size_t count_ = 0;
};

// Appends the elements of one journal range to `out`: "c3-5..9" gives c3-5,
// c3-6 ... c3-9 (docs/history.md); anything else is appended as it is, so that
// nothing read is ever dropped.
void ExpandRange(std::string_view range, std::vector<std::string>& out);

// Appends entries to a journal file. Thread-safe. Buffers in memory and
// flushes at least every `flush_interval` (a background thread), whenever the
// buffer passes 1 MiB, and on Close. When `path` ends in ".zst" every flush
// writes one complete zstd frame (with checksum), so that the file is a
// concatenation of frames: `zstdcat` reads it, and after a SIGKILL everything
// up to the last flush is readable. An Event with more than
// kMaxValuesPerLine values (a final read of a big set) is written as several
// lines, each carrying a slice of the values; readers deliver each line as
// its own Event, so consumers take the union of values of the final-read
// events of one node.
class JournalWriter {
 public:
  // Creates (truncates) `path` and writes a header line with `meta`
  // (a JSON object: run id, wall start, seed, plan ...).
  // Throws std::runtime_error with the path and errno text if it cannot.
  JournalWriter(const std::string& path, const nlohmann::json& meta,
                std::chrono::milliseconds flush_interval = std::chrono::milliseconds(50));
  ~JournalWriter();  // Closes.
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // REQUIRES: Close() has not been called (an Append after Close throws
  // std::logic_error: it would be lost).
  void Append(const Op& op);
  void Append(const Event& ev);
  // Flushes everything appended so far to the file.
  void Flush();
  // Writes every entry whose Append returned before Close was called, then
  // stops the flusher thread and closes the file. Idempotent. Throws
  // std::runtime_error if a write failed (at any time).
  void Close();
  const std::string& path() const;

  static constexpr size_t kMaxValuesPerLine = 100000;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a journal, plain or zstd-compressed (recognised by its first bytes, not
// its name), streaming. Calls the callbacks in file order (unset callbacks are
// skipped). Stops at the first line that does not parse (a crash can cut the
// last line), and returns a warning
//   "FILE:LINE: journal damaged here (REASON); read N entries before it"
// (a compressed journal that ends inside a frame, as a killed writer leaves
// it, gives REASON "compressed data ends mid-frame").
// returns "" when the whole file was read. Blank lines and lines of an unknown
// "t" are skipped. The Op and Event passed to the callbacks are reused between
// calls: copy what you keep. Throws std::runtime_error if the file cannot be
// opened.
struct JournalReader {
  std::function<void(const nlohmann::json& meta)> on_meta;
  std::function<void(const Op&)> on_op;
  std::function<void(const Event&)> on_event;
  // false: an event's compacted elements stay in Event::ranges as written
  // ("c3-0..17220", a lone "c3-9", or any other text kept as it is) instead
  // of being expanded into Event::values, for a consumer that can take ranges
  // whole (the data-loss checker: a final read of millions of elements).
  bool expand_ranges = true;
  std::string Read(const std::string& path) const;
};

// Serialization of single entries (also used by tests and the JSONL export).
// One line, no trailing newline, keys in the fixed order of docs/history.md.
// Invalid UTF-8 in strings is replaced by U+FFFD.
std::string ToJsonLine(const Op& op);
std::string ToJsonLine(const Event& ev);
nlohmann::json ToJson(const Op& op);
nlohmann::json ToJson(const Event& ev);

// Parses one op line with its keys in any order (client drivers write the
// journal's op line: docs/client-drivers.md). Fills `op` and returns "", or
// returns why the line is not a complete op line (t, c, s, k, i, e and o are
// required). Does not check that the times are sane.
std::string ParseOpLine(std::string_view line, Op* op);

}  // namespace sc

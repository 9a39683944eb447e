// Real redis-server / redis-sentinel processes on this machine, for
// integration tests and benchmarks. Loopback and unix sockets only.
//
// Every process is started with fork/exec, dies with the thread that started
// it (PR_SET_PDEATHSIG), and is killed (SIGKILL) and reaped by its pid when
// its LocalRedis is destroyed. Nothing is ever killed by name.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace sc::testing {

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "sc-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class LocalRedis {
 public:
  // Starts /usr/bin/redis-server in `dir` with unix socket dir/<name>.sock,
  // no persistence, and (if `tcp`) a free 127.0.0.1 port, plus `extra_args`
  // (e.g. {"--replicaof", "127.0.0.1", "6379"}). Output goes to
  // dir/<name>.log. Returns once the socket answers PING.
  // Throws std::runtime_error (with the log's tail) if it does not start in 5 s.
  static std::unique_ptr<LocalRedis> StartServer(const std::string& dir, const std::string& name,
                                                 bool tcp,
                                                 const std::vector<std::string>& extra_args = {});
  // Starts /usr/bin/redis-sentinel with dir/<name>.conf = port, unixsocket,
  // dir, then `config_lines` (e.g. "sentinel monitor mymaster 127.0.0.1 7000 1").
  static std::unique_ptr<LocalRedis> StartSentinel(const std::string& dir, const std::string& name,
                                                   const std::vector<std::string>& config_lines);

  ~LocalRedis();  // Kill().
  LocalRedis(const LocalRedis&) = delete;
  LocalRedis& operator=(const LocalRedis&) = delete;

  pid_t pid() const { return pid_; }
  int port() const { return port_; }  // 0 when not listening on TCP
  const std::string& unix_socket() const { return socket_; }
  const std::string& log_path() const { return log_; }

  // Sends `sig` (SIGSTOP, SIGCONT ...) to the process.
  void Signal(int sig) const;
  // SIGKILL and waitpid. Idempotent.
  void Kill();

 private:
  LocalRedis() = default;
  static std::unique_ptr<LocalRedis> Launch(const std::vector<std::string>& argv,
                                            const std::string& socket, const std::string& log,
                                            int port);
  pid_t pid_ = -1;
  int port_ = 0;
  std::string socket_;
  std::string log_;
};

// A 127.0.0.1 TCP port that nobody listens on right now (random, high).
int FreeLoopbackPort();

// Runs one command over the unix socket and returns the reply flattened to
// strings (integer as text, array elements in order, nil as ""); throws on
// any error.
std::vector<std::string> RedisCall(const std::string& unix_socket,
                                   const std::vector<std::string>& args);

}  // namespace sc::testing

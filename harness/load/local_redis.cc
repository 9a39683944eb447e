#include "harness/load/local_redis.h"

#include "common/hiredis.h"
#include "common/run.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <hiredis/hiredis.h>

namespace sc::testing {
namespace {

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  std::string s = all.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

bool AnswersPing(const std::string& socket) {
  timeval tv{0, 200'000};
  redisContext* c = redisConnectUnixWithTimeout(socket.c_str(), tv);
  bool ok = false;
  if (c && !c->err) {
    redisSetTimeout(c, tv);
    auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = r && r->type != REDIS_REPLY_ERROR;
    if (r) freeReplyObject(r);
  }
  if (c) redisFree(c);
  return ok;
}

void Flatten(const redisReply* r, std::vector<std::string>* out) {
  switch (r->type) {
    case REDIS_REPLY_ARRAY:
      for (size_t i = 0; i < r->elements; ++i) Flatten(r->element[i], out);
      break;
    case REDIS_REPLY_INTEGER:
      out->push_back(std::to_string(r->integer));
      break;
    case REDIS_REPLY_NIL:
      out->push_back("");
      break;
    default:
      out->emplace_back(r->str, r->len);
  }
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp " + tmpl + " failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int FreeLoopbackPort() {
  static std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(20000, 59999);
  for (int attempt = 0; attempt < 100; ++attempt) {
    int port = pick(rng);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool free = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    if (free) return port;
  }
  throw std::runtime_error("no free loopback port found");
}

std::unique_ptr<LocalRedis> LocalRedis::Launch(const std::vector<std::string>& args,
                                               const std::string& socket, const std::string& log,
                                               int port) {
  // Through the one way of running programs (common/run.h); the server dies
  // with the harness (death signal) and its output goes to `log`.
  std::ofstream(log, std::ios::trunc).close();
  sc::Program prog;
  prog.argv = args;
  prog.setup.new_session = false;
  prog.setup.die_with_parent = true;
  pid_t pid = sc::Start(prog, log);
  std::unique_ptr<LocalRedis> p(new LocalRedis());
  p->pid_ = pid;
  p->port_ = port;
  p->socket_ = socket;
  p->log_ = log;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      p->pid_ = -1;  // already reaped
      throw std::runtime_error(args[0] + " exited at start; log " + log + ":\n" + Tail(log));
    }
    if (AnswersPing(socket)) return p;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error(args[0] + " did not answer on " + socket + " within 5 s; log:\n" +
                           Tail(log));  // ~LocalRedis kills it
}

std::unique_ptr<LocalRedis> LocalRedis::StartServer(const std::string& dir, const std::string& name,
                                                    bool tcp,
                                                    const std::vector<std::string>& extra_args) {
  const std::string socket = dir + "/" + name + ".sock";
  for (int attempt = 0;; ++attempt) {
    int port = tcp ? FreeLoopbackPort() : 0;
    std::vector<std::string> args = {"/usr/bin/redis-server", "--port", std::to_string(port),
                                     "--bind", "127.0.0.1", "--unixsocket", socket,
                                     "--save", "", "--appendonly", "no", "--daemonize", "no",
                                     "--dir", dir, "--repl-diskless-sync-delay", "0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    try {
      return Launch(args, socket, dir + "/" + name + ".log", port);
    } catch (const std::exception&) {
      if (!tcp || attempt == 2) throw;  // else: lost a port race, try another
    }
  }
}

std::unique_ptr<LocalRedis> LocalRedis::StartSentinel(const std::string& dir,
                                                      const std::string& name,
                                                      const std::vector<std::string>& config_lines) {
  const std::string socket = dir + "/" + name + ".sock";
  const std::string conf = dir + "/" + name + ".conf";
  for (int attempt = 0;; ++attempt) {
    int port = FreeLoopbackPort();
    {
      std::ofstream out(conf, std::ios::trunc);
      out << "port " << port << "\nbind 127.0.0.1\nunixsocket " << socket << "\ndir " << dir
          << "\ndaemonize no\n";
      for (const auto& l : config_lines) out << l << "\n";
    }
    try {
      return Launch({"/usr/bin/redis-sentinel", conf}, socket, dir + "/" + name + ".log", port);
    } catch (const std::exception&) {
      if (attempt == 2) throw;
    }
  }
}

LocalRedis::~LocalRedis() { Kill(); }

void LocalRedis::Signal(int sig) const {
  if (pid_ > 0) kill(pid_, sig);
}

void LocalRedis::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::vector<std::string> RedisCall(const std::string& unix_socket,
                                   const std::vector<std::string>& args) {
  timeval tv{2, 0};
  redisContext* c = redisConnectUnixWithTimeout(unix_socket.c_str(), tv);
  if (!c || c->err) {
    std::string why = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    throw std::runtime_error("connect " + unix_socket + ": " + why);
  }
  redisSetTimeout(c, tv);
  redis::Reply reply = redis::Command(c, args);
  const redisReply* r = reply.get();
  std::string err = r ? (r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : "")
                      : std::string(c->errstr);
  std::vector<std::string> out;
  if (r && err.empty()) Flatten(r, &out);
  reply.reset();
  redisFree(c);
  if (!err.empty()) throw std::runtime_error(args[0] + ": " + err);
  return out;
}

}  // namespace sc::testing

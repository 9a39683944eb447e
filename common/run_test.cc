#include "common/run.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

namespace sc {
namespace {

using std::chrono::milliseconds;

Program P(std::vector<std::string> argv) {
  Program p;
  p.argv = std::move(argv);
  return p;
}

RunResult Sh(const std::string& script, milliseconds timeout = milliseconds(5000), const std::string& input = "") {
  return sc::Run(P({"/bin/sh", "-c", script}), timeout, input);
}

TEST(Run, CapturesStdoutAndStderrAndTheExitCode) {
  auto r = Sh("echo out; echo err >&2; exit 3");
  EXPECT_TRUE(r.started);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.output, "out\nerr\n");
  EXPECT_EQ(r.Describe(), "exited with 3");
}

TEST(Run, KeepsStderrApartWhenAsked) {
  Program p = P({"/bin/sh", "-c", "echo out; echo err >&2"});
  p.stderr_apart = true;
  auto r = sc::Run(p, milliseconds(5000));
  EXPECT_EQ(r.output, "out\n");
  EXPECT_EQ(r.errors, "err\n");
}

TEST(Run, TellsASignalFromAnExitCode) {
  auto killed = Sh("kill -9 $$");
  EXPECT_EQ(killed.signal, 9);
  EXPECT_EQ(killed.exit_code, -1);
  EXPECT_NE(killed.Describe().find("killed by signal 9"), std::string::npos);
  auto exited = Sh("exit 9");
  EXPECT_EQ(exited.signal, 0);
  EXPECT_EQ(exited.exit_code, 9);
}

TEST(Run, ATimeoutKillsTheProgramAndItsGroupAndReapsIt) {
  auto t0 = std::chrono::steady_clock::now();
  auto r = Sh("sleep 30 & echo $! ; sleep 30", milliseconds(300));
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(took, std::chrono::seconds(3));
  pid_t bg = std::stoi(r.output);
  // The background sleep was in the program's group: killed too.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(bg) + "/stat");
    std::string s;
    gone = !std::getline(stat, s) || s.find(") Z ") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(gone);
  // No zombie of ours remains.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
}

TEST(Run, AGrandchildHoldingThePipeDoesNotBlockTheResult) {
  auto t0 = std::chrono::steady_clock::now();
  Program p = P({"/bin/sh", "-c", "echo hi; (sleep 2 &) ; exit 0"});
  p.setup.new_session = false;  // its group is ours: the helper is not killed with it
  auto r = sc::Run(p, milliseconds(5000));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "hi\n");
}

TEST(Run, PassesInputAndAMinimalEnvironment) {
  Program p = P({"/bin/sh", "-c", "cat; echo \"$FOO:$PATH:$HOME\""});
  p.env["FOO"] = "bar";
  auto r = sc::Run(p, milliseconds(5000), "in\n");
  EXPECT_EQ(r.output, "in\nbar:/usr/sbin:/usr/bin:/sbin:/bin:\n");
}

TEST(Run, AMissingProgramOrNamespaceIsNotStartedAndSaysWhy) {
  auto r = sc::Run(P({"/nonexistent/prog"}), milliseconds(1000));
  EXPECT_FALSE(r.started);
  EXPECT_NE(r.Describe().find("could not start"), std::string::npos);
  Program p = P({"/bin/true"});
  p.setup.netns = "sc-no-such-namespace";
  auto n = sc::Run(p, milliseconds(1000));
  EXPECT_FALSE(n.started);
  EXPECT_NE(n.error.find("sc-no-such-namespace"), std::string::npos);
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);  // the failed exec was reaped
  EXPECT_THROW(sc::Run(P({"true"}), milliseconds(100)), std::logic_error);
}

TEST(Run, DescriptorsOfTheHarnessDoNotLeakIntoTheChild) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);  // deliberately not close-on-exec
  auto r = Sh("ls /proc/self/fd | wc -l");
  close(fds[0]);
  close(fds[1]);
  // 0, 1, 2 and the directory ls reads.
  EXPECT_EQ(std::stoi(r.output), 4);
}

TEST(Start, ALongLivedProgramRunsInItsOwnSessionAndLogs) {
  char tmpl[] = "/tmp/sc-run-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string log = std::string(tmpl) + "/log";
  pid_t pid = Start(P({"/bin/sh", "-c", "echo started; exec sleep 30"}), log);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(getsid(pid), pid);
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(log);
    std::string s;
    if (std::getline(in, s) && s == "started") break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  std::ifstream in(log);
  std::string s;
  std::getline(in, s);
  EXPECT_EQ(s, "started");
  kill(pid, SIGKILL);
  int status;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status));
  unlink(log.c_str());
  rmdir(tmpl);
  EXPECT_THROW(Start(P({"/nonexistent/prog"})), std::runtime_error);
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
}

TEST(StartPiped, TalksToAHelperOverItsStdinAndStdout) {
  auto c = StartPiped(P({"/bin/cat"}));
  ASSERT_GT(c.pid, 0);
  ASSERT_EQ(write(c.to_child, "ping\n", 5), 5);
  char buf[16] = {};
  ASSERT_EQ(read(c.from_child, buf, 5), 5);
  EXPECT_EQ(std::string(buf), "ping\n");
  close(c.to_child);
  int status;
  ASSERT_EQ(waitpid(c.pid, &status, 0), c.pid);
  EXPECT_TRUE(WIFEXITED(status));
  close(c.from_child);
}

}  // namespace
}  // namespace sc

#include "topology/firewall.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libiptc/libiptc.h>
#include <linux/netfilter/xt_statistic.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "topology/process.h"

namespace sc::topology {
namespace {

// libiptc takes no lock of its own: share the one iptables-legacy -w uses.
class XtablesLock {
 public:
  XtablesLock() {
    fd_ = open("/run/xtables.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~XtablesLock() {
    if (fd_ >= 0) close(fd_);
  }

 private:
  int fd_;
};

// How many times this process wrote each namespace's table: a prepared change
// read at one count and committed at another is stale.
std::mutex generations_mu;
std::map<std::string, uint64_t> generations;

uint64_t Generation(const std::string& netns) {
  std::lock_guard<std::mutex> l(generations_mu);
  return generations[netns];
}
void Wrote(const std::string& netns) {
  std::lock_guard<std::mutex> l(generations_mu);
  ++generations[netns];
}

// Runs `change` on a fresh filter-table handle in `netns` and commits it,
// retrying a commit that raced with another writer.
void Change(const std::string& netns, const std::function<void(xtc_handle*)>& change) {
  if (netns.empty()) throw std::runtime_error("internal: refusing to change the host's packet filter");
  RunInNetns(netns, [&] {
    XtablesLock lock;
    for (int attempt = 0;; ++attempt) {
      xtc_handle* h = iptc_init("filter");
      if (!h) throw std::runtime_error("iptables in " + netns + ": " + iptc_strerror(errno));
      try {
        change(h);
      } catch (...) {
        iptc_free(h);
        throw;
      }
      int ok = iptc_commit(h);
      int err = errno;
      iptc_free(h);
      if (ok) {
        Wrote(netns);
        return;
      }
      if (err != EAGAIN || attempt > 20)
        throw std::runtime_error("iptables commit in " + netns + ": " + iptc_strerror(err));
    }
  });
}

void Check(int ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what + ": " + iptc_strerror(errno));
}

// An ipt_entry, optional matches, then a standard target, each XT_ALIGNed.
class Entry {
 public:
  Entry(const DropRule& r, const std::string& target) {
    size_t match_size = r.percent < 100 ? XT_ALIGN(sizeof(xt_entry_match)) + XT_ALIGN(sizeof(xt_statistic_info)) : 0;
    size_t target_size = XT_ALIGN(sizeof(xt_standard_target));
    buf_.assign(XT_ALIGN(sizeof(ipt_entry)) + match_size + target_size, 0);
    auto* e = reinterpret_cast<ipt_entry*>(buf_.data());
    e->target_offset = XT_ALIGN(sizeof(ipt_entry)) + match_size;
    e->next_offset = buf_.size();
    SetAddr(r.src, e->ip.src, e->ip.smsk);
    SetAddr(r.dst, e->ip.dst, e->ip.dmsk);
    SetIface(r.in_iface, e->ip.iniface, e->ip.iniface_mask);
    SetIface(r.out_iface, e->ip.outiface, e->ip.outiface_mask);
    if (match_size) {
      auto* m = reinterpret_cast<xt_entry_match*>(buf_.data() + XT_ALIGN(sizeof(ipt_entry)));
      m->u.match_size = match_size;
      strncpy(m->u.user.name, "statistic", sizeof(m->u.user.name) - 1);
      auto* info = reinterpret_cast<xt_statistic_info*>(m->data);
      info->mode = XT_STATISTIC_MODE_RANDOM;
      info->u.random.probability = static_cast<uint32_t>(std::lround(0x80000000 * (r.percent / 100.0)));
    }
    auto* t = reinterpret_cast<xt_standard_target*>(buf_.data() + e->target_offset);
    t->target.u.target_size = target_size;
    strncpy(t->target.u.user.name, target.c_str(), sizeof(t->target.u.user.name) - 1);
  }
  ipt_entry* get() { return reinterpret_cast<ipt_entry*>(buf_.data()); }

 private:
  static void SetAddr(const std::string& a, in_addr& addr, in_addr& mask) {
    if (a.empty()) return;
    if (inet_pton(AF_INET, a.c_str(), &addr) != 1) throw std::runtime_error("internal: bad address " + a);
    mask.s_addr = 0xffffffff;
  }
  static void SetIface(const std::string& name, char* iface, unsigned char* mask) {
    if (name.empty()) return;
    strncpy(iface, name.c_str(), IFNAMSIZ - 1);
    memset(mask, 0xff, name.size() + 1);
  }
  std::vector<unsigned char> buf_;
};

bool HasJump(xtc_handle* h, const char* builtin, const std::string& chain) {
  for (auto* e = iptc_first_rule(builtin, h); e; e = iptc_next_rule(e, h))
    if (chain == iptc_get_target(e, h)) return true;
  return false;
}

void RemoveJumps(xtc_handle* h, const char* builtin, const std::string& chain) {
  for (bool again = true; again;) {
    again = false;
    unsigned num = 0;
    for (auto* e = iptc_first_rule(builtin, h); e; e = iptc_next_rule(e, h), ++num) {
      if (chain == iptc_get_target(e, h)) {
        Check(iptc_delete_num_entry(builtin, num, h), "removing jump to " + chain);
        again = true;
        break;
      }
    }
  }
}

void EnsureChainIn(xtc_handle* h, const std::string& chain) {
  if (!iptc_is_chain(chain.c_str(), h)) Check(iptc_create_chain(chain.c_str(), h), "creating chain " + chain);
  for (const char* builtin : {"INPUT", "OUTPUT"}) {
    if (HasJump(h, builtin, chain)) continue;
    Entry jump(DropRule{}, chain);
    Check(iptc_insert_entry(builtin, jump.get(), 0, h), "adding jump to " + chain);
  }
}

void AppendDropRules(xtc_handle* h, const std::string& chain, const std::vector<DropRule>& rules) {
  EnsureChainIn(h, chain);
  for (auto& r : rules) {
    Entry e(r, "DROP");
    Check(iptc_append_entry(chain.c_str(), e.get(), h), "adding rule to " + chain);
  }
}

void DeleteChain(xtc_handle* h, const std::string& chain) {
  if (!iptc_is_chain(chain.c_str(), h)) return;
  RemoveJumps(h, "INPUT", chain);
  RemoveJumps(h, "OUTPUT", chain);
  Check(iptc_flush_entries(chain.c_str(), h), "flushing " + chain);
  Check(iptc_delete_chain(chain.c_str(), h), "deleting " + chain);
}

}  // namespace

void AddDropRules(const std::string& netns, const std::string& chain, const std::vector<DropRule>& rules) {
  Change(netns, [&](xtc_handle* h) { AppendDropRules(h, chain, rules); });
}

void RemoveChain(const std::string& netns, const std::string& chain) {
  if (access(("/var/run/netns/" + netns).c_str(), F_OK) != 0) return;
  Change(netns, [&](xtc_handle* h) { DeleteChain(h, chain); });
}

PreparedFilterChange PreparedFilterChange::AddDropRules(const std::string& netns, const std::string& chain,
                                                        const std::vector<DropRule>& rules) {
  PreparedFilterChange p;
  p.netns_ = netns, p.chain_ = chain, p.rules_ = rules;
  if (netns.empty()) throw std::runtime_error("internal: refusing to change the host's packet filter");
  RunInNetns(netns, [&] {
    p.generation_ = Generation(netns);
    p.handle_ = iptc_init("filter");
    if (!p.handle_) throw std::runtime_error("iptables in " + netns + ": " + iptc_strerror(errno));
    AppendDropRules(p.handle_, chain, rules);
  });
  return p;
}

PreparedFilterChange PreparedFilterChange::RemoveChain(const std::string& netns, const std::string& chain) {
  PreparedFilterChange p;
  p.netns_ = netns, p.chain_ = chain, p.remove_ = true;
  if (netns.empty()) throw std::runtime_error("internal: refusing to change the host's packet filter");
  if (access(("/var/run/netns/" + netns).c_str(), F_OK) != 0) {
    p.nothing_ = true;
    return p;
  }
  RunInNetns(netns, [&] {
    p.generation_ = Generation(netns);
    p.handle_ = iptc_init("filter");
    if (!p.handle_) throw std::runtime_error("iptables in " + netns + ": " + iptc_strerror(errno));
    if (!iptc_is_chain(chain.c_str(), p.handle_)) {
      p.nothing_ = true;
      return;
    }
    DeleteChain(p.handle_, chain);
  });
  return p;
}

PreparedFilterChange::PreparedFilterChange(PreparedFilterChange&& o) noexcept { *this = std::move(o); }

PreparedFilterChange& PreparedFilterChange::operator=(PreparedFilterChange&& o) noexcept {
  if (this == &o) return *this;
  if (handle_) iptc_free(handle_);
  netns_ = std::move(o.netns_), chain_ = std::move(o.chain_), rules_ = std::move(o.rules_);
  remove_ = o.remove_, nothing_ = o.nothing_, handle_ = o.handle_, generation_ = o.generation_, redone_ = o.redone_;
  o.handle_ = nullptr;
  return *this;
}

PreparedFilterChange::~PreparedFilterChange() {
  if (handle_) iptc_free(handle_);
}

void PreparedFilterChange::Commit() {
  xtc_handle* h = handle_;
  handle_ = nullptr;
  redone_ = false;
  if (nothing_) {
    if (h) iptc_free(h);
    return;
  }
  int err = 0;
  bool ok = false;
  if (h) {
    XtablesLock lock;
    // The handle's socket was opened in the namespace: the replace goes there
    // whatever namespace this thread is in.
    if (Generation(netns_) == generation_) {
      ok = iptc_commit(h);
      err = errno;
      if (ok) Wrote(netns_);
    } else {
      err = EAGAIN;
    }
    iptc_free(h);
  }
  if (ok) return;
  if (err != EAGAIN) throw std::runtime_error("iptables commit in " + netns_ + ": " + iptc_strerror(err));
  redone_ = true;  // the table changed since it was read: the change made again on a fresh one
  if (remove_) topology::RemoveChain(netns_, chain_);
  else topology::AddDropRules(netns_, chain_, rules_);
}

}  // namespace sc::topology

// DataLossChecker: which acknowledged writes survived, from the writes and the
// final reads ("final-read" events; the one with role "master" is the truth,
// the others give divergence). Set workload: attempted / acknowledged / lost /
// unexpected / recovered elements. Counter workload: increments against the
// final value. Keeps bitmaps and one 8-byte record per acknowledged write.
#pragma once

#include <map>
#include <unordered_map>

#include "harness/checkers/checker.h"
#include "harness/checkers/element_set.h"
#include "harness/checkers/paged.h"

namespace sc {

class DataLossChecker : public Checker {
 public:
  void OnOp(const Op& op) override;
  void OnEvent(const Event& ev) override;
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

 private:
  // When and where an acknowledged element was acknowledged:
  // (server index + 1) << 48 | completion; 0 = not acknowledged.
  using AckInfo = uint64_t;
  struct FinalRead {
    std::string node;
    std::string role;
    ElementSet elements;
    std::optional<int64_t> counter;
  };

  uint16_t ServerIndex(int client, const std::string& server);
  // The three counts, in data_loss and in the figures alike.
  static void SetCounts(nlohmann::json& loss, nlohmann::json& figures, int64_t lost, int64_t unexpected,
                        int64_t recovered);
  // The node that acknowledged an op: for "address:port@id" the server whose
  // id that was (from the observer's "server-id" events; the connection read
  // it when it was made); for a bare address through the VIP, the VIP holder
  // at that instant (older journals); else the server with that address.
  std::string NodeAt(const nlohmann::json& meta, const std::string& server, Nanos at) const;
  AckInfo AckOf(const Element& e) const;
  FinalRead* FinalReadOf(const std::string& node, const std::string& role);
  void FinishSet(const CheckContext& ctx, nlohmann::json& loss, nlohmann::json& results);
  void FinishCounter(nlohmann::json& loss, nlohmann::json& results);

  // Set workload.
  ElementSet attempted_;
  ElementSet acked_;
  std::vector<Paged<AckInfo>> acked_at_;                // [client][seq]
  std::unordered_map<std::string, AckInfo> text_acked_at_;
  std::vector<std::string> servers_;
  std::vector<std::pair<Nanos, std::string>> vip_holders_;  // "vip" events, in journal order
  std::map<std::string, std::string> server_ids_;           // "server-id" events: id -> node
  std::unordered_map<std::string, uint16_t> server_index_;
  std::vector<std::pair<std::string, uint16_t>> last_server_;  // per client, a cache
  bool saw_id_value_ = false;
  bool all_values_integers_ = true;

  // Counter workload: sums of the increments.
  int64_t writes_ = 0, ok_writes_ = 0;
  int64_t attempted_sum_ = 0, acked_sum_ = 0;

  std::vector<FinalRead> final_reads_;  // in order of first appearance
  ElementSet retired_;                  // "key-read" events: keys read and deleted during the run
};

}  // namespace sc

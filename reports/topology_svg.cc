#include "reports/topology_svg.h"

#include <algorithm>

#include "reports/html_util.h"

namespace sc::reports {
namespace {

using nlohmann::json;

// The first node the timeline shows as master, or "" when none.
std::string FirstMaster(const json& r) {
  std::string best;
  int64_t best_start = INT64_MAX;
  for (const json& s : Arr(Get(r, "timeline"), "roles")) {
    int64_t start = Int(s, "start_ns").value_or(0);
    if (Str(s, "role") == "master" && start < best_start) {
      best_start = start;
      best = Str(s, "node");
    }
  }
  return best;
}

std::string FirstVipHolder(const json& r) {
  const json& vip = Arr(Get(r, "timeline"), "vip");
  return vip.empty() ? FirstMaster(r) : Str(vip[0], "node");
}

}  // namespace

std::string RenderTopologySvg(const json& r) {
  const json& topo = Get(r, "topology");
  const json& servers = Arr(topo, "servers");
  std::string vip = Str(topo, "vip");
  std::string master = FirstMaster(r), vip_holder = FirstVipHolder(r);
  const double box_w = 150, box_h = 64, gap = 30;
  double n = std::max<double>(1, servers.size());
  double width = std::max(420.0, n * box_w + (n - 1) * gap + 40);
  double client_y = 10, vip_y = 96, servers_y = 160;
  double height = servers_y + box_h + 30;
  double cx = width / 2;

  std::string out;
  Appendf(out, "<svg id=\"topology\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\">",
          width, height, width);
  auto server_x = [&](size_t i) { return 20 + i * (box_w + gap); };
  // Links first, so boxes sit on top of them.
  for (size_t i = 0; i < servers.size(); ++i) {
    double sx = server_x(i) + box_w / 2;
    bool holder = Str(servers[i], "name") == vip_holder;
    if (!vip.empty())
      Appendf(out, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
              holder ? "topo-link vip-link" : "topo-link", cx, vip_y + 14, sx, servers_y);
    else
      Appendf(out, "<line class=\"topo-link\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cx, client_y + 36,
              sx, servers_y);
  }
  if (!vip.empty()) {
    Appendf(out, "<line class=\"topo-link\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cx, client_y + 36, cx,
            vip_y - 14);
    Appendf(out, "<ellipse class=\"topo-vip\" cx=\"%.1f\" cy=\"%.1f\" rx=\"80\" ry=\"14\"/>", cx, vip_y);
    Appendf(out, "<text class=\"topo-text\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">VIP %s</text>", cx, vip_y + 4,
            Escape(vip).c_str());
  }
  Appendf(out, "<rect class=\"topo-client\" x=\"%.1f\" y=\"%.1f\" width=\"180\" height=\"36\" rx=\"6\"/>", cx - 90,
          client_y);
  const json& load = Get(r, "load");
  std::string client_label = "client " + Str(topo, "client");
  std::string client_sub = Str(load, "clients", "?") + " clients, " + Str(load, "workload", "?") + " via " +
                           Str(load, "via", "?");
  Appendf(out, "<text class=\"topo-text\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", cx, client_y + 15,
          Escape(client_label).c_str());
  Appendf(out, "<text class=\"topo-sub\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", cx, client_y + 29,
          Escape(client_sub).c_str());
  for (size_t i = 0; i < servers.size(); ++i) {
    const json& s = servers[i];
    double x = server_x(i);
    std::string name = Str(s, "name");
    bool is_master = name == master;
    Appendf(out, "<g class=\"topo-server\" data-node=\"%s\">", Escape(name).c_str());
    Appendf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" rx=\"6\"/>",
            is_master ? "topo-box topo-master" : "topo-box", x, servers_y, box_w, box_h);
    Appendf(out, "<text class=\"topo-text\" x=\"%.1f\" y=\"%.1f\">%s%s</text>", x + 8, servers_y + 17,
            Escape(name).c_str(), is_master ? " (master at start)" : "");
    Appendf(out, "<text class=\"topo-sub\" x=\"%.1f\" y=\"%.1f\">%s</text>", x + 8, servers_y + 33,
            Escape(Str(s, "address")).c_str());
    std::string parts = std::string(Bool(s, "redis", true) ? "redis-server" : "") +
                        (Bool(s, "sentinel", false) ? (Bool(s, "redis", true) ? " + sentinel" : "sentinel") : "");
    Appendf(out, "<text class=\"topo-sub\" x=\"%.1f\" y=\"%.1f\">%s</text>", x + 8, servers_y + 51,
            Escape(parts).c_str());
    out += "</g>";
  }
  if (servers.empty())
    Appendf(out, "<text class=\"topo-sub\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no servers recorded</text>",
            cx, servers_y + 30);
  return out + "</svg>";
}

}  // namespace sc::reports

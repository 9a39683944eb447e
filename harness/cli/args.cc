#include "harness/cli/args.h"

#include <algorithm>

namespace sc::cli {

std::string Closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (auto& c : candidates) {
    std::vector<size_t> prev(c.size() + 1), cur(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= c.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (word[i - 1] == c[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    if (prev[c.size()] < best_d) {
      best_d = prev[c.size()];
      best = c;
    }
  }
  return best;
}

Args Args::Parse(int argc, char** argv, int first, const std::vector<std::string>& flags,
                 const std::vector<std::string>& valued) {
  Args a;
  auto in = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (int i = first; i < argc; ++i) {
    std::string w = argv[i];
    if (w.rfind("--", 0) != 0 || w == "--") {
      a.positional.push_back(w);
      continue;
    }
    std::string name = w.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (in(flags, name)) {
      if (has_value) throw UsageError("--" + name + " takes no value");
      a.options.emplace_back(name, "true");
    } else if (in(valued, name)) {
      if (!has_value) {
        if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
        value = argv[++i];
      }
      a.options.emplace_back(name, value);
    } else {
      std::vector<std::string> all = flags;
      all.insert(all.end(), valued.begin(), valued.end());
      std::string near = Closest(name, all);
      throw UsageError("unknown option --" + name + (near.empty() ? "" : "; did you mean --" + near + "?"));
    }
  }
  return a;
}

bool Args::Has(const std::string& name) const { return Get(name).has_value(); }

std::optional<std::string> Args::Get(const std::string& name) const {
  std::optional<std::string> v;
  for (auto& [k, val] : options)
    if (k == name) v = val;
  return v;
}

std::vector<std::string> Args::GetAll(const std::string& name) const {
  std::vector<std::string> v;
  for (auto& [k, val] : options)
    if (k == name) v.push_back(val);
  return v;
}

}  // namespace sc::cli

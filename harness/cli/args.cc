#include "harness/cli/args.h"

#include <algorithm>

#include "harness/scenario/parser.h"

namespace sc::cli {

std::string Closest(const std::string& word, const std::vector<std::string>& candidates) {
  return scenario::DidYouMean(word, candidates).value_or("");
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

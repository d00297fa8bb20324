#include "import_rows.h"

#include <unordered_map>
#include <unordered_set>

namespace tks::tools {
namespace {

constexpr Field kTokenFields[] = {Field::kRefreshToken, Field::kAccessToken,
                                  Field::kGrantToken};

std::string Where(const std::string& unit, const SdkRow& row) {
  std::string text = unit + " " + std::to_string(row.line);
  if (row.token.has_id()) text += " (id " + std::string(row.token.id()) + ")";
  return text;
}

}  // namespace

Result<ImportPlan> PlanImport(std::vector<SdkRow> rows,
                              const std::string& unit) {
  // Step 1: ids must be unique.
  std::unordered_map<std::string_view, size_t> id_rows;
  id_rows.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].token.has_id()) continue;
    auto [it, fresh] = id_rows.emplace(rows[i].token.id(), i);
    if (!fresh) {
      return InvalidArgument(unit + " " + std::to_string(rows[i].line) +
                             ": id '" + std::string(rows[i].token.id()) +
                             "' repeats " + unit + " " +
                             std::to_string(rows[it->second].line));
    }
  }

  // Step 2: from the last row up, skip a row whose token a later kept row
  // holds. Values are keyed per field: equal values in two fields are no
  // clash.
  std::vector<bool> keep(rows.size(), true);
  std::vector<std::string> skipped_reversed;
  std::unordered_map<std::string_view, size_t> holder[3];
  for (auto& map : holder) map.reserve(rows.size());
  for (size_t i = rows.size(); i-- > 0;) {
    const Token& token = rows[i].token;
    for (size_t f = 0; f < 3 && keep[i]; ++f) {
      const Field field = kTokenFields[f];
      if (!token.has(field) || token.view(field).empty()) continue;
      auto it = holder[f].find(token.view(field));
      if (it == holder[f].end()) continue;
      keep[i] = false;
      skipped_reversed.push_back(
          "skipped " + Where(unit, rows[i]) + ": its " +
          std::string(FieldName(field)) + " is also in " +
          Where(unit, rows[it->second]) + ", the later row wins");
    }
    if (!keep[i]) continue;
    for (size_t f = 0; f < 3; ++f) {
      const Field field = kTokenFields[f];
      if (token.has(field) && !token.view(field).empty()) {
        holder[f].emplace(token.view(field), i);
      }
    }
  }

  // Step 3: count kept rows whose user name an earlier kept row has.
  ImportPlan plan;
  plan.skipped.assign(skipped_reversed.rbegin(), skipped_reversed.rend());
  std::unordered_set<std::string_view> users;
  users.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Token& token = rows[i].token;
    if (keep[i] && token.has(Field::kUserName) &&
        !users.insert(token.view(Field::kUserName)).second) {
      ++plan.shared_user_rows;
    }
  }

  // Step 4: the kept rows in source order.
  plan.positions.reserve(rows.size());
  plan.tokens.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!keep[i]) continue;
    plan.positions.push_back(rows[i].line);
    plan.tokens.push_back(std::move(rows[i].token));
  }
  return plan;
}

}  // namespace tks::tools

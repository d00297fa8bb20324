#include "import_writer.h"

#include <algorithm>
#include <charconv>
#include <span>

namespace tks::tools {
namespace {

// Rewrites the engine's "batch item N: ..." into "line L: ...", with L the
// source position of item N of the batch starting at `first`.
Status NameTheRow(const Status& status, const ImportPlan& plan, size_t first,
                  const std::string& unit) {
  constexpr std::string_view kPrefix = "batch item ";
  const std::string& message = status.message();
  if (message.compare(0, kPrefix.size(), kPrefix) != 0) return status;
  const size_t colon = message.find(':', kPrefix.size());
  if (colon == std::string::npos) return status;
  size_t item = 0;
  const char* begin = message.data() + kPrefix.size();
  const auto parsed = std::from_chars(begin, message.data() + colon, item);
  if (parsed.ec != std::errc() || first + item >= plan.positions.size()) {
    return status;
  }
  return Status(status.code(),
                unit + " " + std::to_string(plan.positions[first + item]) +
                    message.substr(colon));
}

// Drops the rows an earlier run already imported.
Status DropImported(const Store& store, ImportPlan& plan, size_t& dropped) {
  size_t kept = 0;
  for (size_t i = 0; i < plan.tokens.size(); ++i) {
    Token& token = plan.tokens[i];
    if (token.has_id()) {
      auto stored = store.FindTokenById(token.id());
      if (stored.ok() && stored->SameFields(token)) {
        ++dropped;
        continue;
      }
      if (!stored.ok() && stored.status().code() != Code::kNotFound) {
        return stored.status();
      }
    }
    if (kept != i) {
      plan.tokens[kept] = std::move(token);
      plan.positions[kept] = plan.positions[i];
    }
    ++kept;
  }
  plan.tokens.resize(kept);
  plan.positions.resize(kept);
  return Status::Ok();
}

}  // namespace

Status WriteImport(Store& store, ImportPlan& plan, size_t batch, bool resume,
                   const std::string& unit, Progress& progress,
                   ImportCounts& counts) {
  // Step 1: what an earlier run left to do.
  if (resume) {
    TKS_RETURN_IF_ERROR(DropImported(store, plan, counts.already_present));
  }

  // Step 2: one transaction per batch (or one for everything).
  const size_t total = plan.tokens.size();
  const size_t step = batch == 0 ? std::max<size_t>(total, 1) : batch;
  std::span<Token> tokens(plan.tokens);
  for (size_t first = 0; first < total; first += step) {
    const size_t count = std::min(step, total - first);
    Status inserted = store.InsertTokensWithIds(tokens.subspan(first, count));
    if (!inserted.ok()) {
      Status named = NameTheRow(inserted, plan, first, unit);
      if (batch == 0) return named;
      return Status(named.code(),
                    named.message() + "; the " + std::to_string(first) +
                        " records before its batch were imported: fix the "
                        "source and run again with --resume");
    }
    counts.written += count;
    progress.Update(counts.written);
  }
  return Status::Ok();
}

}  // namespace tks::tools

// tks find: one record by user name, access, refresh or grant token, or
// id, with the value read from the input stream and the time the engine
// call took.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <ostream>

#include "cli_common.h"
#include "commands.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks find [--store DIR] [key flags]\n"
    "                --user|--access|--refresh|--grant|--id\n"
    "                [--client-id ID] [--repeat N] [--reveal]\n"
    "\n"
    "Finds one record by the rules of the SDK TokenStore (DESIGN 3.1). The\n"
    "value to look for is the first line of standard input, never an\n"
    "argument. --refresh and --grant also need the client credentials:\n"
    "the client secret on the second input line and the client id from\n"
    "--client-id or the third input line (they gate the rule; they are not\n"
    "compared). Prints the record, redacted unless --reveal, and the time\n"
    "the engine call took, measured in this process; --repeat N runs the\n"
    "same find N times and also prints the median.\n"
    "\n"
    "Exit code 1 when nothing matches.\n"
    "\n";

constexpr size_t kMaxRepeat = 10'000'000;

enum class FindPath { kUser, kAccess, kRefresh, kGrant, kId };

struct FindPlan {
  FindPath path = FindPath::kUser;
  std::string_view label;
  Token query;
  crypto::SecretString id;
};

// Picks the one find path the switches name.
Result<FindPath> ChoosePath(const Args& args) {
  const std::pair<const char*, FindPath> kPaths[] = {
      {"user", FindPath::kUser},
      {"access", FindPath::kAccess},
      {"refresh", FindPath::kRefresh},
      {"grant", FindPath::kGrant},
      {"id", FindPath::kId}};
  std::optional<FindPath> chosen;
  for (const auto& [name, path] : kPaths) {
    if (!args.Has(name)) continue;
    if (chosen) return InvalidArgument("give only one find path");
    chosen = path;
  }
  if (!chosen) {
    return InvalidArgument("give --user, --access, --refresh, --grant or --id");
  }
  return *chosen;
}

// Builds the query from the input lines.
Result<FindPlan> BuildPlan(const Args& args, FindPath path,
                           std::vector<crypto::SecretString>& lines) {
  // Step 1: the value itself.
  if (lines.empty()) return InvalidArgument("no value on standard input");
  FindPlan plan;
  plan.path = path;
  const std::string_view value = lines[0].view();
  switch (path) {
    case FindPath::kUser:
      plan.label = "user name";
      plan.query.set(Field::kUserName, value);
      return plan;
    case FindPath::kAccess:
      plan.label = "access token";
      plan.query.set(Field::kAccessToken, value);
      return plan;
    case FindPath::kId:
      plan.label = "id";
      plan.id = lines[0];
      return plan;
    case FindPath::kRefresh:
      plan.label = "refresh token";
      plan.query.set(Field::kRefreshToken, value);
      break;
    case FindPath::kGrant:
      plan.label = "grant token";
      plan.query.set(Field::kGrantToken, value);
      break;
  }

  // Step 2: refresh and grant need the client credentials (rule 3).
  if (lines.size() < 2) {
    return InvalidArgument(
        "--refresh/--grant need the client secret on input line 2");
  }
  plan.query.set(Field::kClientSecret, lines[1].view());
  if (auto client_id = args.Value("client-id")) {
    plan.query.set(Field::kClientId, *client_id);
  } else if (lines.size() >= 3) {
    plan.query.set(Field::kClientId, lines[2].view());
  } else {
    return InvalidArgument(
        "--refresh/--grant need --client-id or the client id on input "
        "line 3");
  }
  return plan;
}

// One engine call: the found record, or nullopt.
Result<std::optional<Token>> RunFind(const Store& store, const FindPlan& plan) {
  if (plan.path != FindPath::kId) return store.FindToken(plan.query);
  auto found = store.FindTokenById(plan.id.view());
  if (found.ok()) return std::optional<Token>(std::move(found.value()));
  if (found.status().code() == Code::kNotFound) {
    return std::optional<Token>();
  }
  return found.status();
}

Result<size_t> ParseRepeat(const Args& args) {
  auto text = args.Value("repeat");
  if (!text) return size_t{1};
  size_t repeat = 0;
  const auto parsed =
      std::from_chars(text->data(), text->data() + text->size(), repeat);
  if (parsed.ec != std::errc() || parsed.ptr != text->data() + text->size() ||
      repeat == 0 || repeat > kMaxRepeat) {
    return InvalidArgument("--repeat wants a count from 1 to 10000000");
  }
  return repeat;
}

}  // namespace

int CmdFind(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(
      words,
      StoreFlags({{"client-id", "repeat"},
                  {"user", "access", "refresh", "grant", "id", "reveal"}}));
  if (!args.ok()) return UsageError(io, "find", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "find",
                      "the value is read from standard input, not argv");
  }
  auto path = ChoosePath(*args);
  if (!path.ok()) return UsageError(io, "find", path.status().message());
  auto repeat = ParseRepeat(*args);
  if (!repeat.ok()) return UsageError(io, "find", repeat.status().message());

  // Step 2: the value (and credentials) from standard input.
  auto lines = ReadSecretLines(io.in, 3);
  if (!lines.ok()) return Fail(io, "find", lines.status());
  auto plan = BuildPlan(*args, *path, *lines);
  if (!plan.ok()) return UsageError(io, "find", plan.status().message());

  // Step 3: the timed engine call.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "find", store.status());
  auto started = std::chrono::steady_clock::now();
  auto found = RunFind(**store, *plan);
  const std::chrono::nanoseconds first =
      std::chrono::steady_clock::now() - started;
  if (!found.ok()) return Fail(io, "find", found.status());

  // Step 4: repeats, for a warm figure.
  std::vector<std::chrono::nanoseconds> times{first};
  for (size_t i = 1; i < *repeat; ++i) {
    started = std::chrono::steady_clock::now();
    auto again = RunFind(**store, *plan);
    times.push_back(std::chrono::steady_clock::now() - started);
    if (!again.ok()) return Fail(io, "find", again.status());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  std::string timing = "in " + FormatDuration(first);
  if (*repeat > 1) {
    timing += " (median of " + std::to_string(*repeat) +
              " runs: " + FormatDuration(times[times.size() / 2]) + ")";
  }

  // Step 5: show the result.
  if (!found->has_value()) {
    io.out << "no record by " << plan->label << ", searched " << timing << "\n";
    return kExitNotFound;
  }
  io.out << "found id " << (*found)->id() << " by " << plan->label << " "
         << timing << "\n";
  PrintRecord(io.out, **found, args->Has("reveal"));
  return kExitOk;
}

}  // namespace tks::tools

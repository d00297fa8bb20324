// tks stats: what the store holds and how big it is.
#include <ostream>

#include "cli_common.h"
#include "commands.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks stats [--store DIR] [key flags]\n"
    "\n"
    "Prints the record count, the entries of each index, the file size,\n"
    "map size and use, and the format version. No value is shown.\n"
    "\n";

void Line(std::ostream& out, std::string_view name, uint64_t value) {
  std::string padded(name);
  padded.resize(24, ' ');
  out << padded << value << "\n";
}

}  // namespace

int CmdStats(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags());
  if (!args.ok()) return UsageError(io, "stats", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "stats", "unexpected argument");
  }

  // Step 2: read the figures.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "stats", store.status());
  auto stats = (*store)->GetStats();
  if (!stats.ok()) return Fail(io, "stats", stats.status());

  // Step 3: print them.
  Line(io.out, "records", stats->record_count);
  Line(io.out, "index id entries", stats->id_index_entries);
  Line(io.out, "index user entries", stats->user_index_entries);
  Line(io.out, "index refresh entries", stats->refresh_index_entries);
  Line(io.out, "index access entries", stats->access_index_entries);
  Line(io.out, "index grant entries", stats->grant_index_entries);
  Line(io.out, "index expiry entries", stats->expiry_index_entries);
  Line(io.out, "leases", stats->lease_count);
  Line(io.out, "file size bytes", stats->file_size_bytes);
  Line(io.out, "map size bytes", stats->map_size_bytes);
  Line(io.out, "map used bytes", stats->map_used_bytes);
  Line(io.out, "page size", stats->page_size);
  Line(io.out, "next id", stats->next_id);
  Line(io.out, "format version", stats->format_version);
  Line(io.out, "active data key id", stats->active_data_key_id);
  Line(io.out, "data keys", stats->data_key_count);
  Line(io.out, "index key pending", stats->index_key_change_pending ? 1 : 0);
  return kExitOk;
}

}  // namespace tks::tools

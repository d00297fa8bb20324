// The SDK's FileStore: a CSV token file (header row, ten columns, minimal
// quoting, CRLF). Every call reads and parses the whole file and scans
// it; every save, delete and purge rewrites it. Single-threaded.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "peers/peer_factories.h"
#include "peers/sdk_rules.h"

namespace tks::bench {
namespace {

constexpr std::string_view kHeader =
    "id,user_name,client_id,client_secret,refresh_token,access_token,"
    "grant_token,expiry_time,redirect_uri,api_domain\r\n";

// One CSV row into the ten fields; quotes may wrap a field and "" inside
// them is a quote.
bool ParseRow(std::string_view line, Record* out) {
  size_t field = 0;
  std::string* value = &out->fields[0];
  value->clear();
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        value->push_back(c);
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        value->push_back('"');
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      if (++field == kFieldCount) return false;
      value = &out->fields[field];
      value->clear();
    } else {
      value->push_back(c);
    }
  }
  return field == kFieldCount - 1;
}

void AppendRow(const Record& record, std::string* out) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (i > 0) out->push_back(',');
    const std::string& value = record.fields[i];
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
      out->append(value);
      continue;
    }
    out->push_back('"');
    for (char c : value) {
      if (c == '"') out->push_back('"');
      out->push_back(c);
    }
    out->push_back('"');
  }
  out->append("\r\n");
}

class CsvSession : public Session {
 public:
  explicit CsvSession(std::string path) : path_(std::move(path)) {}

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    TKS_ASSIGN_OR_RETURN(std::vector<Record> all, ReadAll());
    for (Record& record : all) {
      if (MatchesRule(path, probe, record)) {
        *out = std::move(record);
        return true;
      }
    }
    return false;
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    TKS_ASSIGN_OR_RETURN(std::vector<Record> all, ReadAll());
    for (Record& record : all) {
      if (record.id() == id) {
        *out = std::move(record);
        return true;
      }
    }
    return false;
  }

  Status Save(Record& record) override {
    // The SDK: read everything, replace the row or append one with
    // max id + 1, write everything back.
    TKS_ASSIGN_OR_RETURN(std::vector<Record> all, ReadAll());
    if (record.id().empty()) {
      uint64_t max_id = 0;
      for (const Record& row : all) {
        max_id = std::max<uint64_t>(max_id, std::stoull(row.id()));
      }
      record.at(Field::kId) = std::to_string(max_id + 1);
      all.push_back(record);
      return WriteAll(all);
    }
    for (Record& row : all) {
      if (row.id() == record.id()) {
        row = record;
        return WriteAll(all);
      }
    }
    return NotFound("no such id");
  }

  Status Delete(std::string_view id) override {
    TKS_ASSIGN_OR_RETURN(std::vector<Record> all, ReadAll());
    const size_t removed = std::erase_if(
        all, [&](const Record& record) { return record.id() == id; });
    if (removed == 0) return NotFound("no such id");
    return WriteAll(all);
  }

  Result<size_t> Scan() override {
    TKS_ASSIGN_OR_RETURN(std::vector<Record> all, ReadAll());
    return all.size();
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    TKS_ASSIGN_OR_RETURN(std::vector<Record> all, ReadAll());
    const size_t removed = std::erase_if(all, [&](const Record& record) {
      return std::stoull(record.at(Field::kExpiryTime)) < before_ms;
    });
    TKS_RETURN_IF_ERROR(WriteAll(all));
    return removed;
  }

  Result<std::vector<Record>> ReadAll() {
    // The whole file, then one row per CRLF line after the header.
    std::ifstream in(path_, std::ios::binary);
    if (!in) return Internal("cannot read " + path_);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    std::vector<Record> all;
    size_t at = text.find("\r\n");
    while (at != std::string::npos && at + 2 < text.size()) {
      const size_t end = text.find("\r\n", at + 2);
      Record record;
      const std::string_view line(
          text.data() + at + 2,
          (end == std::string::npos ? text.size() : end) - at - 2);
      if (!ParseRow(line, &record)) return Corrupt("bad CSV row");
      all.push_back(std::move(record));
      at = end;
    }
    return all;
  }

  Status WriteAll(const std::vector<Record>& all) {
    // Truncate and rewrite, as the SDK does (no temp file, no sync).
    std::string text(kHeader);
    for (const Record& record : all) AppendRow(record, &text);
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) return Internal("cannot write " + path_);
    return Status::Ok();
  }

 private:
  std::string path_;
};

class CsvFilePeer : public Peer {
 public:
  CsvFilePeer() : dir_("csv") {}
  std::string_view name() const override { return "sdk-csv"; }
  PeerTraits traits() const override {
    PeerTraits traits;
    traits.max_records = 100000;
    traits.concurrent_reads = false;
    traits.compare_and_swap = false;
    traits.slow_calls = true;
    return traits;
  }

  Status Load(std::span<const Record> records) override {
    CsvSession writer(Path());
    return writer.WriteAll({records.begin(), records.end()});
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    std::unique_ptr<Session> session = std::make_unique<CsvSession>(Path());
    return session;
  }

 private:
  std::string Path() const { return dir_.path() + "/tokens.csv"; }
  ScratchDir dir_;
};

}  // namespace

std::unique_ptr<Peer> NewCsvFilePeer() {
  return std::make_unique<CsvFilePeer>();
}

}  // namespace tks::bench

#include "csv_reader.h"

#include <string>

namespace tks::tools {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

Status Malformed(size_t line, std::string_view what) {
  return InvalidArgument("line " + std::to_string(line) + ": " +
                         std::string(what));
}

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
    pos_ = kByteOrderMark.size();
  }
}

bool CsvReader::ConsumeLineEnd() {
  if (text_.compare(pos_, 2, "\r\n") == 0) {
    pos_ += 2;
  } else if (pos_ < text_.size() && text_[pos_] == '\n') {
    pos_ += 1;
  } else {
    return false;
  }
  ++line_;
  return true;
}

Result<bool> CsvReader::Next(CsvRecord& record) {
  // Step 1: skip blank lines; the end of the text ends the records.
  while (ConsumeLineEnd()) {
  }
  if (AtEnd()) return false;

  // Step 2: read fields until a line end or the end of the text.
  record.fields.clear();
  record.line = line_;
  while (true) {
    record.fields.emplace_back();
    TKS_RETURN_IF_ERROR(ReadField(record.fields.back()));
    if (AtEnd() || ConsumeLineEnd()) return true;

    // ReadField stops only at a comma, a line end or the end.
    ++pos_;
  }
}

Status CsvReader::ReadField(crypto::SecretString& field) {
  // Step 1: a quoted field has its own rules.
  if (!AtEnd() && text_[pos_] == '"') return ReadQuotedField(field);

  // Step 2: an unquoted field runs to a comma or a line end; a quote
  // inside it is an error rather than a guess.
  const size_t start = pos_;
  while (!AtEnd() && text_[pos_] != ',' && text_[pos_] != '\n' &&
         text_.compare(pos_, 2, "\r\n") != 0) {
    if (text_[pos_] == '"') return Malformed(line_, "quote in unquoted field");
    ++pos_;
  }
  field.assign(text_.data() + start, pos_ - start);
  return Status::Ok();
}

Status CsvReader::ReadQuotedField(crypto::SecretString& field) {
  // Step 1: copy up to the closing quote; "" stands for one quote and line
  // breaks inside the quotes belong to the value.
  const size_t start_line = line_;
  ++pos_;
  while (true) {
    if (AtEnd()) return Malformed(start_line, "unterminated quoted field");
    const char c = text_[pos_];
    if (c == '"' && text_.compare(pos_, 2, "\"\"") == 0) {
      field.push_back('"');
      pos_ += 2;
      continue;
    }
    if (c == '"') break;
    if (c == '\n') ++line_;
    field.push_back(c);
    ++pos_;
  }
  ++pos_;

  // Step 2: the closing quote must end the field.
  if (AtEnd() || text_[pos_] == ',' || text_[pos_] == '\n' ||
      text_.compare(pos_, 2, "\r\n") == 0) {
    return Status::Ok();
  }
  return Malformed(line_, "text after closing quote");
}

}  // namespace tks::tools

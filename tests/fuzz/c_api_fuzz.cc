// libFuzzer target: the argument checks of the C API (api/, tks.h). The
// input is decoded into a sequence of C API calls on one ephemeral store,
// four token slots and an iterator, with arbitrary field numbers, lengths,
// generations and NULL in every pointer the header lets be NULL or says
// is rejected. Checked after every call, else abort():
// - the return value is a TKS_* code, and INVALID_ARGUMENT whenever a
//   required pointer was NULL;
// - the error convention: *err is NULL on success and holds the returned
//   code (and a message) on failure;
// - a field set is read back byte for byte; a rejected set changes
//   nothing;
// - no error message holds a secret field value the input set (16 bytes
//   or more with a byte outside printable ASCII, so that it cannot be a
//   piece of a fixed message the fuzzer learned) once the ids and lease
//   holders of the input, which messages may name, are taken out.
#include <tks/tks.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// Reads the fuzz input front to back; past the end it gives zeros.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool done() const { return at_ >= size_; }
  uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }
  uint64_t Number() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | Byte();
    return value;
  }

  // A byte string: up to 255 input bytes, or (rarely) a long run of one
  // byte, over the field limit.
  std::string Bytes() {
    const uint8_t length = Byte();
    if (length == 255) return std::string(TKS_MAX_FIELD_BYTES + Byte(), 'x');
    std::string out;
    for (uint8_t i = 0; i < length && !done(); ++i) out += char(Byte());
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

// Aborts (a finding for libFuzzer) naming the line of the broken rule.
void Require(bool ok, int line) {
  if (ok) return;
  std::fprintf(stderr, "c_api_fuzz: rule at line %d broken\n", line);
  std::abort();
}
#define Check(rule) Require((rule), __LINE__)

// The shared ephemeral store, made once per process.
tks_store* SharedStore() {
  static tks_store* store = [] {
    tks_options* options = nullptr;
    Check(tks_options_create(&options) == TKS_OK);
    Check(tks_options_set_ephemeral(options, 1) == TKS_OK);
    Check(tks_options_set_map_size(options, 1 << 20, 0) == TKS_OK);
    tks_store* opened = nullptr;
    Check(tks_store_open(options, &opened, nullptr) == TKS_OK);
    tks_options_free(options);
    return opened;
  }();
  return store;
}

class Session {
 public:
  explicit Session(Input& in) : in_(in) {}
  ~Session();

  void Step();

 private:
  // Arguments that may be NULL: about one time in eight.
  bool Null() { return in_.Byte() % 8 == 0; }
  tks_store* Store() { return Null() ? nullptr : SharedStore(); }
  tks_token*& Slot() { return tokens_[in_.Byte() % 4]; }
  tks_token* Token() { return Null() ? nullptr : Slot(); }
  int FieldNumber() { return int(in_.Byte() % 14) - 2; }
  tks_error** Err() { return Null() ? nullptr : &err_; }

  // A NUL-terminated string that messages may name (id, holder).
  std::string Name() {
    std::string name = in_.Bytes();
    named_.push_back(name.c_str());
    return name;
  }

  // Checks the error convention of a call that returned `rc` with `err`.
  void Checked(int rc, tks_error** err, bool needs_invalid = false);
  void SetField();
  void CallStore(int op);

  Input& in_;
  tks_token* tokens_[4] = {};
  tks_iter* iter_ = nullptr;
  tks_error* err_ = nullptr;
  std::vector<std::string> secrets_;
  std::vector<std::string> named_;
};

Session::~Session() {
  for (tks_token* token : tokens_) tks_token_free(token);
  tks_iter_free(iter_);
  Check(tks_store_delete_all(SharedStore(), nullptr) == TKS_OK);
}

void Session::Checked(int rc, tks_error** err, bool needs_invalid) {
  // Step 1: a known code; INVALID_ARGUMENT for a NULL that is required.
  Check(rc >= TKS_OK && rc <= TKS_INTERNAL);
  Check(std::strcmp(tks_code_name(rc), "UNKNOWN") != 0);
  if (needs_invalid) Check(rc == TKS_INVALID_ARGUMENT);
  if (err == nullptr) return;

  // Step 2: *err follows the code and names no secret.
  if (rc == TKS_OK) {
    Check(*err == nullptr);
    return;
  }
  Check(*err != nullptr && tks_error_code(*err) == rc);
  std::string message = tks_error_message(*err);
  for (const std::string& name : named_) {
    for (size_t at = name.empty() ? std::string::npos : message.find(name);
         at != std::string::npos; at = message.find(name, at)) {
      message.erase(at, name.size());
    }
  }
  for (const std::string& secret : secrets_) {
    const bool printable =
        std::all_of(secret.begin(), secret.end(),
                    [](char c) { return c >= 0x20 && c < 0x7f; });
    if (secret.size() >= 16 && !printable &&
        message.find(secret) != std::string::npos) {
      std::fprintf(stderr, "message: %s\n", message.c_str());
      Check(!"an error message holds a secret value");
    }
  }
  tks_error_free(*err);
  *err = nullptr;
}

void Session::SetField() {
  // Step 1: the arguments, NULL data with a length included.
  tks_token* token = Token();
  const int field = FieldNumber();
  const std::string value = in_.Bytes();
  const bool null_data = Null();
  const size_t length = null_data ? in_.Byte() : value.size();
  const bool secret =
      field == TKS_FIELD_USER_NAME || field == TKS_FIELD_CLIENT_SECRET ||
      field == TKS_FIELD_REFRESH_TOKEN || field == TKS_FIELD_ACCESS_TOKEN ||
      field == TKS_FIELD_GRANT_TOKEN;
  (secret ? secrets_ : named_).push_back(value);

  // Step 2: the field before, the call, and the field after.
  const void* before = nullptr;
  size_t before_length = 0;
  std::string old;
  if (token != nullptr &&
      tks_token_field_get(token, field, &before, &before_length) == TKS_OK &&
      before != nullptr) {
    old.assign(static_cast<const char*>(before), before_length);
  }
  const bool was_null = before == nullptr;
  const int rc = tks_token_field_set(
      token, field, null_data ? nullptr : value.data(), length);
  Checked(rc, nullptr, token == nullptr || (null_data && length > 0));
  if (token == nullptr || tks_field_name(field) == nullptr) {
    Check(rc == TKS_INVALID_ARGUMENT);
    return;
  }
  const void* after = nullptr;
  size_t after_length = 0;
  Check(tks_token_field_get(token, field, &after, &after_length) == TKS_OK);
  if (rc == TKS_OK) {
    const std::string expected = null_data ? std::string() : value;
    Check(after != nullptr && after_length == expected.size() &&
          std::memcmp(after, expected.data(), after_length) == 0);
  } else {
    Check((after == nullptr) == was_null);
    Check(after == nullptr ||
          std::string(static_cast<const char*>(after), after_length) == old);
  }
}

void Session::CallStore(int op) {
  tks_error** err = Err();
  switch (op) {
    case 0: {  // find
      tks_store* store = Store();
      tks_token* query = Token();
      int found = 0;
      const bool no_found = Null();
      Checked(tks_store_find(store, query, no_found ? nullptr : &found, err),
              err, store == nullptr || query == nullptr || no_found);
      break;
    }
    case 1: {  // save, save_if
      tks_store* store = Store();
      tks_token* token = Token();
      const bool conditional = in_.Byte() & 1;
      const uint64_t generation = in_.Byte() % 4;
      const int rc = conditional
                         ? tks_store_save_if(store, token, generation, err)
                         : tks_store_save(store, token, err);
      Checked(rc, err, store == nullptr || token == nullptr);
      break;
    }
    case 2: {  // find by id into a slot
      tks_store* store = Store();
      const bool no_id = Null();
      const std::string id = Name();
      const bool no_out = Null();
      tks_token*& slot = Slot();
      tks_token* found = nullptr;
      const int rc = tks_store_find_by_id(store, no_id ? nullptr : id.c_str(),
                                          no_out ? nullptr : &found, err);
      Checked(rc, err, store == nullptr || no_id || no_out);
      Check(rc == TKS_OK || found == nullptr);
      if (found != nullptr) {
        tks_token_free(slot);
        slot = found;
      }
      break;
    }
    case 3: {  // delete by id, by user
      tks_store* store = Store();
      if (in_.Byte() & 1) {
        const bool no_id = Null();
        const std::string id = Name();
        Checked(tks_store_delete(store, no_id ? nullptr : id.c_str(), err), err,
                store == nullptr || no_id);
      } else {
        const std::string user = in_.Bytes();
        const bool null_user = Null();
        const size_t length = null_user ? in_.Byte() : user.size();
        uint64_t deleted = 0;
        Checked(tks_store_delete_user(store, null_user ? nullptr : user.data(),
                                      length, Null() ? nullptr : &deleted, err),
                err, store == nullptr || (null_user && length > 0));
      }
      break;
    }
    case 4: {  // purge
      tks_store* store = Store();
      const uint64_t before = in_.Number();
      const uint64_t limit = in_.Byte() % 4;
      uint64_t deleted = 0;
      Checked(tks_store_purge_expired(store, before, limit,
                                      Null() ? nullptr : &deleted, err),
              err, store == nullptr || limit == 0);
      break;
    }
    case 5: {  // lease acquire, release
      tks_store* store = Store();
      const bool no_id = Null();
      const std::string id = Name();
      const bool no_holder = Null();
      const std::string holder = Name();
      const char* id_arg = no_id ? nullptr : id.c_str();
      const char* holder_arg = no_holder ? nullptr : holder.c_str();
      const bool bad = store == nullptr || no_id || no_holder;
      if (in_.Byte() & 1) {
        const uint64_t ttl = in_.Byte() % 3 * 1000;
        Checked(tks_store_lease_acquire(store, id_arg, holder_arg, ttl, err),
                err, bad || ttl == 0);
      } else {
        Checked(tks_store_lease_release(store, id_arg, holder_arg, err), err,
                bad);
      }
      break;
    }
    case 6: {  // stats, any prefix of the struct
      tks_store* store = Store();
      const bool no_out = Null();
      const size_t size = in_.Byte() % (sizeof(tks_stats) + 1);
      tks_stats stats{};
      Checked(tks_store_stats(store, no_out ? nullptr : &stats, size, err), err,
              store == nullptr || no_out || size == 0);
      break;
    }
    default: {  // the iterator: create, next, free
      const int what = in_.Byte() % 3;
      if (what == 0 && iter_ == nullptr) {
        tks_store* store = Store();
        Checked(tks_iter_create(store, Null() ? nullptr : &iter_, err), err,
                store == nullptr);
      } else if (what == 1) {
        tks_token* next = nullptr;
        const bool no_out = Null();
        Checked(tks_iter_next(iter_, no_out ? nullptr : &next, err), err,
                iter_ == nullptr || no_out);
        tks_token_free(next);
      } else {
        tks_iter_free(iter_);
        iter_ = nullptr;
      }
      break;
    }
  }
}

void Session::Step() {
  const uint8_t op = in_.Byte() % 16;
  switch (op) {
    case 0: {  // create into a slot (or NULL out)
      tks_token*& slot = Slot();
      tks_token_free(slot);
      slot = nullptr;
      if (Null()) {
        Checked(tks_token_create(nullptr), nullptr, true);
      } else {
        Check(tks_token_create(&slot) == TKS_OK);
      }
      break;
    }
    case 1:
    case 2:
      SetField();
      break;
    case 3: {  // clear, and the read-only accessors
      tks_token* token = Token();
      const int field = FieldNumber();
      const int rc = tks_token_field_clear(token, field);
      Checked(rc, nullptr,
              token == nullptr || tks_field_name(field) == nullptr);
      const void* data = &data;
      size_t length = 1;
      if (rc == TKS_OK) {
        Check(tks_token_field_get(token, field, &data, &length) == TKS_OK);
        Check(data == nullptr && length == 0);
      }
      const bool no_data = Null();
      const bool no_length = Null();
      Checked(tks_token_field_get(token, field, no_data ? nullptr : &data,
                                  no_length ? nullptr : &length),
              nullptr, token == nullptr || no_data || no_length);
      tks_token_id(token);
      tks_token_generation(token);
      tks_token_updated_at(token);
      break;
    }
    case 4: {  // all fields at once, out and back in
      tks_token* from = Token();
      tks_token* to = Token();
      const void* data[TKS_FIELD_COUNT] = {};
      size_t length[TKS_FIELD_COUNT] = {};
      const int got = tks_token_fields_get(from, data, length);
      Checked(got, nullptr, from == nullptr);
      if (got != TKS_OK || from == to) break;
      std::vector<std::string> copies(TKS_FIELD_COUNT);
      const void* copied[TKS_FIELD_COUNT] = {};
      for (int i = 0; i < TKS_FIELD_COUNT; ++i) {
        if (data[i] == nullptr) continue;
        copies[i].assign(static_cast<const char*>(data[i]), length[i]);
        copied[i] = copies[i].data();
      }
      Checked(tks_token_fields_set(to, copied, length), nullptr, to == nullptr);
      break;
    }
    case 5: {  // names and error accessors, any number
      const int number = int(int8_t(in_.Byte()));
      Check(tks_code_name(number) != nullptr);
      Check((tks_field_name(number) == nullptr) ==
            (number < 0 || number >= TKS_FIELD_COUNT));
      Check(tks_error_code(nullptr) == TKS_INVALID_ARGUMENT);
      Check(std::strcmp(tks_error_message(nullptr), "") == 0);
      Check(std::strcmp(tks_store_path(nullptr), "") == 0);
      Check(tks_store_path(SharedStore())[0] == '/');
      break;
    }
    case 6: {  // options setters (the store is never opened with them)
      tks_options* options = nullptr;
      if (!Null()) Check(tks_options_create(&options) == TKS_OK);
      const std::string text = in_.Bytes();
      const bool bad = options == nullptr;
      Checked(tks_options_set_path(options, Null() ? nullptr : text.c_str()),
              nullptr);
      Checked(tks_options_set_key_bytes(options, text.data(), text.size()),
              nullptr, bad || text.size() != 32);
      Checked(tks_options_set_passphrase(options, text.data(), text.size()),
              nullptr, bad || text.empty());
      Checked(tks_options_set_durability(options, in_.Byte() % 5 - 1), nullptr,
              bad);
      const uint64_t initial = in_.Number();
      const uint64_t most = in_.Number();
      Checked(tks_options_set_map_size(options, initial, most), nullptr, bad);
      Checked(tks_options_set_key_env(options, Null() ? nullptr : "NO_VAR"),
              nullptr);
      Checked(tks_options_set_log(options, nullptr, nullptr), nullptr, bad);
      tks_store* out = nullptr;
      tks_error** err = Err();
      Checked(tks_store_open(nullptr, &out, err), err, true);
      Check(out == nullptr);
      err = Err();
      Checked(tks_store_open(options, nullptr, err), err, true);
      tks_options_free(options);
      break;
    }
    default:
      CallStore(op - 7);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  Session session(in);
  for (int step = 0; step < 64 && !in.done(); ++step) session.Step();
  return 0;
}

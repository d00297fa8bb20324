/* c_api_test: every call of tks.h from plain C, with its error paths and
 * the NULL-tolerant release calls. Prints "N passed, M failed" last and
 * exits non-zero when a check failed. */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "c_check.h"
#include "tks/tks.h"

/* Checks that `expr` returns `code`; prints both names when not. */
#define CHECK_CODE(expr, code)                                    \
  do {                                                            \
    int got_ = (expr);                                            \
    if (got_ != (code)) {                                         \
      fprintf(stderr, "  got %s, want %s\n", tks_code_name(got_), \
              tks_code_name(code));                               \
    }                                                             \
    check(got_ == (code), #expr " == " #code, __LINE__);          \
  } while (0)

/* Checks that a failing call handed back an error with `code` and a
 * non-empty message, then frees it. */
#define CHECK_ERROR(err, code)                 \
  do {                                         \
    CHECK((err) != NULL);                      \
    CHECK(tks_error_code(err) == (code));      \
    CHECK(strlen(tks_error_message(err)) > 0); \
    tks_error_free(err);                       \
    (err) = NULL;                              \
  } while (0)

static const char kKeyHex[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/* Sets a field from a C string; fails the check on error. */
static void set_text(tks_token* token, int field, const char* text) {
  CHECK_CODE(tks_token_field_set(token, field, text, strlen(text)), TKS_OK);
}

/* 1 when the field holds exactly `text`. */
static int field_is(const tks_token* token, int field, const char* text) {
  const void* data = NULL;
  size_t length = 0;
  if (tks_token_field_get(token, field, &data, &length) != TKS_OK) return 0;
  return data != NULL && length == strlen(text) &&
         memcmp(data, text, length) == 0;
}

/* 1 when the field is null. */
static int field_is_null(const tks_token* token, int field) {
  const void* data = (const void*)1;
  size_t length = 1;
  if (tks_token_field_get(token, field, &data, &length) != TKS_OK) return 0;
  return data == NULL && length == 0;
}

/* A token with a user, client credentials and three token values. */
static tks_token* make_token(const char* user, const char* suffix) {
  char value[128];
  tks_token* token = NULL;
  CHECK_CODE(tks_token_create(&token), TKS_OK);
  if (token == NULL) return NULL;
  if (user != NULL) set_text(token, TKS_FIELD_USER_NAME, user);
  set_text(token, TKS_FIELD_CLIENT_ID, "1000.CLIENTID");
  set_text(token, TKS_FIELD_CLIENT_SECRET, "clientsecret");
  snprintf(value, sizeof value, "1000.refresh.%s", suffix);
  set_text(token, TKS_FIELD_REFRESH_TOKEN, value);
  snprintf(value, sizeof value, "1000.access.%s", suffix);
  set_text(token, TKS_FIELD_ACCESS_TOKEN, value);
  snprintf(value, sizeof value, "grant.%s", suffix);
  set_text(token, TKS_FIELD_GRANT_TOKEN, value);
  set_text(token, TKS_FIELD_EXPIRY_TIME, "1000");
  return token;
}

/* An ephemeral store, or NULL. */
static tks_store* open_ephemeral(void) {
  tks_options* options = NULL;
  tks_store* store = NULL;
  tks_error* err = NULL;
  CHECK_CODE(tks_options_create(&options), TKS_OK);
  CHECK_CODE(tks_options_set_ephemeral(options, 1), TKS_OK);
  CHECK_CODE(tks_store_open(options, &store, &err), TKS_OK);
  CHECK(err == NULL);
  tks_options_free(options);
  return store;
}

static void test_versions_and_names(void) {
  CHECK(strcmp(tks_version_string(), TKS_VERSION_STRING) == 0);
  CHECK(tks_version_number() == TKS_VERSION_NUMBER);
  CHECK(tks_format_version() >= 1);
  CHECK(strcmp(tks_code_name(TKS_OK), "OK") == 0);
  CHECK(strcmp(tks_code_name(TKS_NOT_FOUND), "NOT_FOUND") == 0);
  CHECK(strcmp(tks_code_name(TKS_INTERNAL), "INTERNAL") == 0);
  CHECK(strcmp(tks_code_name(-1), "UNKNOWN") == 0);
  CHECK(strcmp(tks_code_name(99), "UNKNOWN") == 0);
  CHECK(strcmp(tks_field_name(TKS_FIELD_REFRESH_TOKEN), "refresh_token") == 0);
  CHECK(strcmp(tks_field_name(TKS_FIELD_API_DOMAIN), "api_domain") == 0);
  CHECK(tks_field_name(-1) == NULL);
  CHECK(tks_field_name(TKS_FIELD_COUNT) == NULL);
}

static void test_error_accessors_accept_null(void) {
  CHECK(tks_error_code(NULL) == TKS_INVALID_ARGUMENT);
  CHECK(strcmp(tks_error_message(NULL), "") == 0);
  tks_error_free(NULL);
  tks_token_free(NULL);
  tks_options_free(NULL);
  tks_store_close(NULL);
  tks_iter_free(NULL);
  CHECK(strcmp(tks_store_path(NULL), "") == 0);
}

static void test_token_fields(void) {
  tks_token* token = NULL;
  const void* data = NULL;
  size_t length = 0;
  char big[TKS_MAX_FIELD_BYTES + 1];
  const char with_nul[3] = {'a', '\0', 'b'};

  /* Create; every field starts null. */
  CHECK_CODE(tks_token_create(NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_create(&token), TKS_OK);
  CHECK(field_is_null(token, TKS_FIELD_ACCESS_TOKEN));
  CHECK(tks_token_id(token) == NULL);
  CHECK(tks_token_generation(token) == 0);
  CHECK(tks_token_updated_at(token) == 0);

  /* Empty is not null; bytes with a NUL come back whole. */
  CHECK_CODE(tks_token_field_set(token, TKS_FIELD_API_DOMAIN, NULL, 0), TKS_OK);
  CHECK_CODE(tks_token_field_get(token, TKS_FIELD_API_DOMAIN, &data, &length),
             TKS_OK);
  CHECK(data != NULL && length == 0);
  CHECK_CODE(tks_token_field_set(token, TKS_FIELD_REDIRECT_URL, with_nul, 3),
             TKS_OK);
  CHECK_CODE(tks_token_field_get(token, TKS_FIELD_REDIRECT_URL, &data, &length),
             TKS_OK);
  CHECK(length == 3 && memcmp(data, with_nul, 3) == 0);
  CHECK_CODE(tks_token_field_clear(token, TKS_FIELD_REDIRECT_URL), TKS_OK);
  CHECK(field_is_null(token, TKS_FIELD_REDIRECT_URL));

  /* The id getter. */
  set_text(token, TKS_FIELD_ID, "42");
  CHECK(tks_token_id(token) != NULL && strcmp(tks_token_id(token), "42") == 0);

  /* Bad arguments: NULLs, unknown fields, oversize values, bad ids. */
  memset(big, 'x', sizeof big);
  CHECK_CODE(tks_token_field_set(NULL, TKS_FIELD_ID, "1", 1),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_set(token, TKS_FIELD_COUNT, "1", 1),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_set(token, -1, "1", 1), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_set(token, TKS_FIELD_USER_NAME, NULL, 1),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(
      tks_token_field_set(token, TKS_FIELD_ACCESS_TOKEN, big, sizeof big),
      TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_set(token, TKS_FIELD_ACCESS_TOKEN, big,
                                 TKS_MAX_FIELD_BYTES),
             TKS_OK);
  CHECK_CODE(
      tks_token_field_set(token, TKS_FIELD_ID, big, TKS_MAX_ID_BYTES + 1),
      TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_set(token, TKS_FIELD_ID, "a b", 3),
             TKS_INVALID_ARGUMENT);
  CHECK(strcmp(tks_token_id(token), "42") == 0); /* Unchanged. */
  CHECK_CODE(tks_token_field_get(NULL, TKS_FIELD_ID, &data, &length),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_get(token, 10, &data, &length),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_get(token, TKS_FIELD_ID, NULL, &length),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_get(token, TKS_FIELD_ID, &data, NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_clear(NULL, TKS_FIELD_ID), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_field_clear(token, 11), TKS_INVALID_ARGUMENT);
  CHECK(tks_token_id(NULL) == NULL);
  CHECK(tks_token_generation(NULL) == 0);
  CHECK(tks_token_updated_at(NULL) == 0);
  tks_token_free(token);
}

static void test_token_fields_at_once(void) {
  tks_token* token = NULL;
  const void* in[TKS_FIELD_COUNT] = {NULL};
  size_t in_length[TKS_FIELD_COUNT] = {0};
  const void* out[TKS_FIELD_COUNT];
  size_t out_length[TKS_FIELD_COUNT];
  static char big[TKS_MAX_FIELD_BYTES + 1];

  /* Set: NULL is null, a non-NULL empty value is "", others are bytes. */
  CHECK_CODE(tks_token_create(&token), TKS_OK);
  set_text(token, TKS_FIELD_CLIENT_ID, "cleared by the batch");
  in[TKS_FIELD_ACCESS_TOKEN] = "acc";
  in_length[TKS_FIELD_ACCESS_TOKEN] = 3;
  in[TKS_FIELD_API_DOMAIN] = "";
  CHECK_CODE(tks_token_fields_set(token, in, in_length), TKS_OK);
  CHECK(field_is(token, TKS_FIELD_ACCESS_TOKEN, "acc"));
  CHECK(field_is(token, TKS_FIELD_API_DOMAIN, ""));
  CHECK(field_is_null(token, TKS_FIELD_CLIENT_ID));

  /* Get: the same view as tks_token_field_get. */
  CHECK_CODE(tks_token_fields_get(token, out, out_length), TKS_OK);
  CHECK(out[TKS_FIELD_ID] == NULL && out_length[TKS_FIELD_ID] == 0);
  CHECK(out[TKS_FIELD_API_DOMAIN] != NULL &&
        out_length[TKS_FIELD_API_DOMAIN] == 0);
  CHECK(out_length[TKS_FIELD_ACCESS_TOKEN] == 3 &&
        memcmp(out[TKS_FIELD_ACCESS_TOKEN], "acc", 3) == 0);

  /* All or nothing: one oversize value leaves every field as it was. */
  memset(big, 'x', sizeof big);
  in[TKS_FIELD_ACCESS_TOKEN] = "new";
  in[TKS_FIELD_REFRESH_TOKEN] = big;
  in_length[TKS_FIELD_REFRESH_TOKEN] = sizeof big;
  CHECK_CODE(tks_token_fields_set(token, in, in_length), TKS_INVALID_ARGUMENT);
  CHECK(field_is(token, TKS_FIELD_ACCESS_TOKEN, "acc"));
  CHECK(field_is_null(token, TKS_FIELD_REFRESH_TOKEN));

  /* NULL arguments. */
  CHECK_CODE(tks_token_fields_set(NULL, in, in_length), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_fields_set(token, NULL, in_length),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_fields_set(token, in, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_fields_get(NULL, out, out_length), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_fields_get(token, NULL, out_length),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_token_fields_get(token, out, NULL), TKS_INVALID_ARGUMENT);
  tks_token_free(token);
}

static void test_options_setters(void) {
  tks_options* options = NULL;
  unsigned char key[32] = {0};

  CHECK_CODE(tks_options_create(NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_create(&options), TKS_OK);
  CHECK_CODE(tks_options_set_path(options, "/tmp/x"), TKS_OK);
  CHECK_CODE(tks_options_set_path(options, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_path(NULL, "/tmp/x"), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_create_if_missing(options, 0), TKS_OK);
  CHECK_CODE(tks_options_set_create_if_missing(NULL, 0), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_file(options, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_file(NULL, "k"), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_bytes(options, key, 31), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_bytes(options, NULL, 32),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_bytes(NULL, key, 32), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_bytes(options, key, 32), TKS_OK);
  CHECK_CODE(tks_options_set_key_env(options, ""), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_env(options, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_key_env(NULL, "X"), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_passphrase(options, "", 0), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_passphrase(options, NULL, 3),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_passphrase(NULL, "pw", 2), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_durability(options, TKS_DURABILITY_NO_SYNC),
             TKS_OK);
  CHECK_CODE(tks_options_set_durability(options, 3), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_durability(options, -1), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_durability(NULL, 0), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_ephemeral(NULL, 1), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_map_size(options, 1 << 20, 0), TKS_OK);
  CHECK_CODE(tks_options_set_map_size(options, 0, 0), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_map_size(options, 2 << 20, 1 << 20),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_map_size(NULL, 1 << 20, 0), TKS_INVALID_ARGUMENT);
  tks_options_free(options);
}

/* Writes kKeyHex to `path` with mode 0600. 1 on success. */
static int write_key_file(const char* path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return 0;
  ssize_t wrote = write(fd, kKeyHex, strlen(kKeyHex));
  close(fd);
  return wrote == (ssize_t)strlen(kKeyHex);
}

/* Opens `path` with: 0 the key from $TKS_C_API_TEST_KEY, 1 a wrong key,
 * 2 that key but create_if_missing off, 3 a passphrase. */
static int open_with(const char* path, int source, tks_store** store,
                     tks_error** err) {
  tks_options* options = NULL;
  unsigned char wrong[32];
  int code = tks_options_create(&options);
  if (code != TKS_OK) return code;
  tks_options_set_path(options, path);
  tks_options_set_durability(options, TKS_DURABILITY_NO_SYNC);
  memset(wrong, 0x5a, sizeof wrong);
  if (source == 0 || source == 2) {
    tks_options_set_key_env(options, "TKS_C_API_TEST_KEY");
  }
  if (source == 1) tks_options_set_key_bytes(options, wrong, sizeof wrong);
  if (source == 2) tks_options_set_create_if_missing(options, 0);
  if (source == 3) tks_options_set_passphrase(options, "correct horse", 13);
  code = tks_store_open(options, store, err);
  tks_options_free(options);
  return code;
}

static void test_open_paths(const char* dir) {
  char key_path[512];
  char store_path[512];
  char other_path[512];
  tks_options* options = NULL;
  tks_store* store = NULL;
  tks_error* err = NULL;
  tks_token* token = NULL;

  snprintf(key_path, sizeof key_path, "%s/root.key", dir);
  snprintf(store_path, sizeof store_path, "%s/store", dir);
  snprintf(other_path, sizeof other_path, "%s/missing", dir);
  CHECK(write_key_file(key_path));

  /* NULL arguments never abort. */
  CHECK_CODE(tks_store_open(NULL, &store, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_create(&options), TKS_OK);
  CHECK_CODE(tks_store_open(options, NULL, NULL), TKS_INVALID_ARGUMENT);

  /* No key source. */
  CHECK_CODE(tks_options_set_path(options, store_path), TKS_OK);
  CHECK_CODE(tks_store_open(options, &store, &err), TKS_INVALID_ARGUMENT);
  CHECK(store == NULL);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);

  /* Create with the key file; save one record. */
  CHECK_CODE(tks_options_set_key_file(options, key_path), TKS_OK);
  CHECK_CODE(tks_options_set_durability(options, TKS_DURABILITY_FULL), TKS_OK);
  CHECK_CODE(tks_store_open(options, &store, &err), TKS_OK);
  CHECK(err == NULL);
  CHECK(strcmp(tks_store_path(store), store_path) == 0);
  token = make_token("a@x.com:1", "open");
  CHECK_CODE(tks_store_save(store, token, NULL), TKS_OK);
  tks_token_free(token);
  tks_store_close(store);
  store = NULL;

  /* Two key sources are refused. */
  CHECK_CODE(tks_options_set_key_env(options, "TKS_C_API_TEST_KEY"), TKS_OK);
  CHECK_CODE(tks_store_open(options, &store, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  tks_options_free(options);

  /* The same key from an environment variable reopens it. */
  setenv("TKS_C_API_TEST_KEY", kKeyHex, 1);
  CHECK_CODE(open_with(store_path, 0, &store, &err), TKS_OK);
  token = NULL;
  CHECK_CODE(tks_store_find_by_id(store, "1", &token, NULL), TKS_OK);
  CHECK(token != NULL && field_is(token, TKS_FIELD_USER_NAME, "a@x.com:1"));
  tks_token_free(token);
  tks_store_close(store);
  store = NULL;

  /* Another key: WRONG_KEY before any record is read. */
  CHECK_CODE(open_with(store_path, 1, &store, &err), TKS_WRONG_KEY);
  CHECK(store == NULL);
  CHECK_ERROR(err, TKS_WRONG_KEY);

  /* No store and create_if_missing off: NOT_FOUND. */
  CHECK_CODE(open_with(other_path, 2, &store, &err), TKS_NOT_FOUND);
  CHECK_ERROR(err, TKS_NOT_FOUND);

  /* A passphrase store. */
  CHECK_CODE(open_with(other_path, 3, &store, &err), TKS_OK);
  tks_store_close(store);
  store = NULL;
  CHECK_CODE(open_with(other_path, 3, &store, &err), TKS_OK);
  tks_store_close(store);
}

static void test_find_and_save(void) {
  tks_store* store = open_ephemeral();
  tks_error* err = NULL;
  tks_token* saved = make_token("user@x.com:7", "one");
  tks_token* query = NULL;
  tks_token* other = NULL;
  tks_token* by_id = NULL;
  int found = -1;
  uint64_t generation = 0;

  /* Insert: id and generation come back. */
  CHECK_CODE(tks_store_save(store, saved, &err), TKS_OK);
  CHECK(err == NULL);
  CHECK(tks_token_id(saved) != NULL);
  CHECK(tks_token_generation(saved) == 1);
  CHECK(tks_token_updated_at(saved) > 0);

  /* Find by user name; the caller's own values win the merge. */
  CHECK_CODE(tks_token_create(&query), TKS_OK);
  set_text(query, TKS_FIELD_USER_NAME, "user@x.com:7");
  set_text(query, TKS_FIELD_API_DOMAIN, "https://mine");
  CHECK_CODE(tks_store_find(store, query, &found, &err), TKS_OK);
  CHECK(found == 1);
  CHECK(field_is(query, TKS_FIELD_REFRESH_TOKEN, "1000.refresh.one"));
  CHECK(field_is(query, TKS_FIELD_API_DOMAIN, "https://mine"));
  CHECK(strcmp(tks_token_id(query), tks_token_id(saved)) == 0);
  CHECK(tks_token_generation(query) == 1);
  tks_token_free(query);

  /* Find by access token without client credentials. */
  CHECK_CODE(tks_token_create(&query), TKS_OK);
  set_text(query, TKS_FIELD_ACCESS_TOKEN, "1000.access.one");
  CHECK_CODE(tks_store_find(store, query, &found, NULL), TKS_OK);
  CHECK(found == 1 && field_is(query, TKS_FIELD_USER_NAME, "user@x.com:7"));
  tks_token_free(query);

  /* Find by grant token with client credentials. */
  CHECK_CODE(tks_token_create(&query), TKS_OK);
  set_text(query, TKS_FIELD_GRANT_TOKEN, "grant.one");
  set_text(query, TKS_FIELD_CLIENT_ID, "c");
  set_text(query, TKS_FIELD_CLIENT_SECRET, "s");
  CHECK_CODE(tks_store_find(store, query, &found, NULL), TKS_OK);
  CHECK(found == 1 &&
        field_is(query, TKS_FIELD_ACCESS_TOKEN, "1000.access.one"));
  tks_token_free(query);

  /* A miss is OK with found = 0 and the query unchanged. */
  CHECK_CODE(tks_token_create(&query), TKS_OK);
  set_text(query, TKS_FIELD_USER_NAME, "nobody");
  CHECK_CODE(tks_store_find(store, query, &found, &err), TKS_OK);
  CHECK(found == 0 && err == NULL);
  CHECK(field_is_null(query, TKS_FIELD_ACCESS_TOKEN));
  tks_token_free(query);

  /* Find by id, and its miss. */
  CHECK_CODE(tks_store_find_by_id(store, tks_token_id(saved), &by_id, &err),
             TKS_OK);
  CHECK(by_id != NULL && field_is(by_id, TKS_FIELD_GRANT_TOKEN, "grant.one"));
  tks_token_free(by_id);
  by_id = (tks_token*)1;
  CHECK_CODE(tks_store_find_by_id(store, "999", &by_id, &err), TKS_NOT_FOUND);
  CHECK(by_id == NULL);
  CHECK_ERROR(err, TKS_NOT_FOUND);

  /* Update in place: generation grows. */
  set_text(saved, TKS_FIELD_ACCESS_TOKEN, "1000.access.two");
  CHECK_CODE(tks_store_save(store, saved, NULL), TKS_OK);
  CHECK(tks_token_generation(saved) == 2);

  /* save_if: a stale generation is a CONFLICT, the current one saves. */
  generation = tks_token_generation(saved);
  set_text(saved, TKS_FIELD_ACCESS_TOKEN, "1000.access.three");
  CHECK_CODE(tks_store_save_if(store, saved, generation - 1, &err),
             TKS_CONFLICT);
  CHECK_ERROR(err, TKS_CONFLICT);
  CHECK_CODE(tks_store_save_if(store, saved, generation, &err), TKS_OK);
  CHECK(tks_token_generation(saved) == generation + 1);

  /* A refresh token of another record: CONFLICT. */
  other = make_token("other@x.com:7", "two");
  set_text(other, TKS_FIELD_REFRESH_TOKEN, "1000.refresh.one");
  CHECK_CODE(tks_store_save(store, other, &err), TKS_CONFLICT);
  CHECK_ERROR(err, TKS_CONFLICT);
  tks_token_free(other);

  /* A save naming an id no record has: NOT_FOUND. */
  other = make_token(NULL, "three");
  set_text(other, TKS_FIELD_ID, "12345");
  CHECK_CODE(tks_store_save(store, other, &err), TKS_NOT_FOUND);
  CHECK_ERROR(err, TKS_NOT_FOUND);
  tks_token_free(other);

  /* An insert without any token value: INVALID_ARGUMENT. */
  CHECK_CODE(tks_token_create(&other), TKS_OK);
  set_text(other, TKS_FIELD_CLIENT_ID, "only");
  CHECK_CODE(tks_store_save(store, other, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  tks_token_free(other);

  /* Fields within their limits, but a record over 64 KiB. */
  CHECK_CODE(tks_token_create(&other), TKS_OK);
  {
    static char big[TKS_MAX_FIELD_BYTES];
    int field;
    memset(big, 'b', sizeof big);
    for (field = TKS_FIELD_CLIENT_ID; field <= TKS_FIELD_API_DOMAIN; field++) {
      CHECK_CODE(tks_token_field_set(other, field, big, sizeof big), TKS_OK);
    }
  }
  CHECK_CODE(tks_store_save(store, other, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  tks_token_free(other);

  /* NULL arguments. */
  CHECK_CODE(tks_store_find(NULL, saved, &found, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_find(store, NULL, &found, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_find(store, saved, NULL, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_save(NULL, saved, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_save(store, NULL, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_save_if(NULL, saved, 1, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_save_if(store, NULL, 1, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_find_by_id(NULL, "1", &by_id, NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_find_by_id(store, NULL, &by_id, NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_find_by_id(store, "1", NULL, NULL),
             TKS_INVALID_ARGUMENT);
  tks_token_free(saved);
  tks_store_close(store);
}

static void test_delete_calls(void) {
  tks_store* store = open_ephemeral();
  tks_error* err = NULL;
  tks_token* token = NULL;
  uint64_t deleted = 99;
  char id[TKS_MAX_ID_BYTES + 1];
  int i;

  /* Three expired records, one that is not. A save of a second token
   * for a user updates the first (DESIGN 3.2), so each has its own. */
  for (i = 0; i < 3; i++) {
    char suffix[16];
    snprintf(suffix, sizeof suffix, "u%d", i);
    token = make_token(suffix, suffix);
    CHECK_CODE(tks_store_save(store, token, NULL), TKS_OK);
    snprintf(id, sizeof id, "%s", tks_token_id(token));
    tks_token_free(token);
  }
  token = make_token("keep@x.com:1", "keep");
  set_text(token, TKS_FIELD_EXPIRY_TIME, "99999999999999");
  CHECK_CODE(tks_store_save(store, token, NULL), TKS_OK);

  /* delete: the last of the three, then a miss. */
  CHECK_CODE(tks_store_delete(store, id, &err), TKS_OK);
  CHECK(err == NULL);
  CHECK_CODE(tks_store_delete(store, id, &err), TKS_NOT_FOUND);
  CHECK_ERROR(err, TKS_NOT_FOUND);

  /* purge_expired: only the expired ones, bounded by the limit. */
  CHECK_CODE(tks_store_purge_expired(store, 5000, 1, &deleted, &err), TKS_OK);
  CHECK(deleted == 1);
  CHECK_CODE(tks_store_purge_expired(store, 5000, 100, &deleted, NULL), TKS_OK);
  CHECK(deleted == 1);
  CHECK_CODE(tks_store_purge_expired(store, 5000, 100, NULL, NULL), TKS_OK);
  CHECK_CODE(tks_store_purge_expired(store, 5000, 0, &deleted, &err),
             TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_purge_expired(NULL, 5000, 1, &deleted, NULL),
             TKS_INVALID_ARGUMENT);

  /* delete_user: the remaining record of "keep". */
  CHECK_CODE(tks_store_delete_user(store, "nobody", 6, &deleted, &err), TKS_OK);
  CHECK(deleted == 0);
  CHECK_CODE(tks_store_delete_user(store, "keep@x.com:1", 12, &deleted, &err),
             TKS_OK);
  CHECK(deleted == 1);
  CHECK_CODE(tks_store_delete_user(store, NULL, 3, &deleted, &err),
             TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_delete_user(NULL, "a", 1, NULL, NULL),
             TKS_INVALID_ARGUMENT);

  /* delete_all empties the store. */
  CHECK_CODE(tks_token_field_clear(token, TKS_FIELD_ID), TKS_OK);
  CHECK_CODE(tks_store_save(store, token, NULL), TKS_OK);
  CHECK_CODE(tks_store_delete_all(store, &err), TKS_OK);
  CHECK_CODE(tks_store_find_by_id(store, tks_token_id(token), NULL, NULL),
             TKS_INVALID_ARGUMENT);
  {
    tks_token* gone = NULL;
    CHECK_CODE(tks_store_find_by_id(store, tks_token_id(token), &gone, NULL),
               TKS_NOT_FOUND);
  }
  CHECK_CODE(tks_store_delete_all(NULL, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_delete(NULL, "1", NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_delete(store, NULL, NULL), TKS_INVALID_ARGUMENT);
  tks_token_free(token);
  tks_store_close(store);
}

static void test_iterator_and_stats(void) {
  tks_store* store = open_ephemeral();
  tks_error* err = NULL;
  tks_iter* iter = NULL;
  tks_token* token = NULL;
  tks_stats stats;
  uint64_t small[2];
  int i;
  int count = 0;
  int in_order = 1;

  for (i = 0; i < 5; i++) {
    char suffix[16];
    snprintf(suffix, sizeof suffix, "it%d", i);
    token = make_token(NULL, suffix);
    CHECK_CODE(tks_store_save(store, token, NULL), TKS_OK);
    tks_token_free(token);
  }

  /* Every record once, in insertion order. */
  CHECK_CODE(tks_iter_create(store, &iter, &err), TKS_OK);
  for (i = 0; i < 100; i++) {
    char want[32];
    token = NULL;
    CHECK_CODE(tks_iter_next(iter, &token, &err), TKS_OK);
    if (token == NULL) break;
    snprintf(want, sizeof want, "grant.it%d", count);
    if (!field_is(token, TKS_FIELD_GRANT_TOKEN, want)) in_order = 0;
    count++;
    tks_token_free(token);
  }
  CHECK(count == 5);
  CHECK(in_order);

  /* At the end it stays at the end. */
  token = (tks_token*)1;
  CHECK_CODE(tks_iter_next(iter, &token, NULL), TKS_OK);
  CHECK(token == NULL);

  /* An iterator outlives tks_store_close. */
  tks_iter_free(iter);
  CHECK_CODE(tks_iter_create(store, &iter, NULL), TKS_OK);
  CHECK_CODE(tks_store_stats(store, &stats, sizeof stats, &err), TKS_OK);
  CHECK(stats.record_count == 5);
  CHECK(stats.refresh_index_entries == 5);
  CHECK(stats.format_version == tks_format_version());
  CHECK(stats.page_size > 0);
  small[1] = 77;
  CHECK_CODE(tks_store_stats(store, (tks_stats*)small, sizeof(uint64_t), NULL),
             TKS_OK);
  CHECK(small[0] == 5 && small[1] == 77);
  tks_store_close(store);
  token = NULL;
  CHECK_CODE(tks_iter_next(iter, &token, NULL), TKS_OK);
  CHECK(token != NULL && field_is(token, TKS_FIELD_GRANT_TOKEN, "grant.it0"));
  tks_token_free(token);
  tks_iter_free(iter);

  /* NULL arguments. */
  CHECK_CODE(tks_iter_create(NULL, &iter, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_iter_create(NULL, NULL, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_iter_next(NULL, &token, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_iter_next(NULL, NULL, NULL), TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_stats(NULL, &stats, sizeof stats, NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_stats(NULL, NULL, sizeof stats, NULL),
             TKS_INVALID_ARGUMENT);
}

static void test_stats_argument_errors(void) {
  tks_store* store = open_ephemeral();
  tks_error* err = NULL;
  tks_stats stats;
  CHECK_CODE(tks_store_stats(store, NULL, sizeof stats, &err),
             TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_stats(store, &stats, 0, &err), TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  tks_store_close(store);
}

static void test_leases(void) {
  tks_store* store = open_ephemeral();
  tks_error* err = NULL;
  tks_token* token = make_token("lease@x.com:1", "lease");
  const char* id;

  CHECK_CODE(tks_store_save(store, token, NULL), TKS_OK);
  id = tks_token_id(token);

  /* One holder at a time; renewal by the holder is allowed. */
  CHECK_CODE(tks_store_lease_acquire(store, id, "proc-a", 60000, &err), TKS_OK);
  CHECK_CODE(tks_store_lease_acquire(store, id, "proc-a", 60000, &err), TKS_OK);
  CHECK_CODE(tks_store_lease_acquire(store, id, "proc-b", 60000, &err),
             TKS_LEASE_HELD);
  CHECK_ERROR(err, TKS_LEASE_HELD);
  CHECK_CODE(tks_store_lease_release(store, id, "proc-b", &err), TKS_NOT_FOUND);
  CHECK_ERROR(err, TKS_NOT_FOUND);
  CHECK_CODE(tks_store_lease_release(store, id, "proc-a", &err), TKS_OK);
  CHECK_CODE(tks_store_lease_acquire(store, id, "proc-b", 60000, &err), TKS_OK);

  /* Unknown record and bad arguments. */
  CHECK_CODE(tks_store_lease_acquire(store, "404", "proc-a", 1000, &err),
             TKS_NOT_FOUND);
  CHECK_ERROR(err, TKS_NOT_FOUND);
  CHECK_CODE(tks_store_lease_acquire(store, id, "proc-a", 0, &err),
             TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_lease_acquire(store, id, "", 1000, &err),
             TKS_INVALID_ARGUMENT);
  CHECK_ERROR(err, TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_lease_acquire(NULL, id, "a", 1000, NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_lease_acquire(store, NULL, "a", 1000, NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_lease_acquire(store, id, NULL, 1000, NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_lease_release(NULL, id, "a", NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_lease_release(store, NULL, "a", NULL),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_store_lease_release(store, id, NULL, NULL),
             TKS_INVALID_ARGUMENT);
  tks_token_free(token);
  tks_store_close(store);
}

/* A log sink that counts events and remembers whether any message held
 * the user name saved below. */
struct log_seen {
  int events;
  int opened;
  int leaked_user;
};

static void count_events(void* context, int level, const char* message,
                         size_t length) {
  struct log_seen* seen = context;
  seen->events++;
  if (level >= TKS_LOG_DEBUG && level <= TKS_LOG_ERROR &&
      strlen(message) == length && strstr(message, "opened") != NULL) {
    seen->opened++;
  }
  if (strstr(message, "secret-user") != NULL) seen->leaked_user = 1;
}

static void test_log_sink(const char* dir) {
  struct log_seen seen = {0, 0, 0};
  char path[512];
  tks_options* options = NULL;
  tks_store* store = NULL;
  tks_token* token = NULL;

  /* Events arrive at the sink; none names the user. */
  snprintf(path, sizeof path, "%s/logged", dir);
  CHECK_CODE(tks_options_create(&options), TKS_OK);
  CHECK_CODE(tks_options_set_log(NULL, count_events, &seen),
             TKS_INVALID_ARGUMENT);
  CHECK_CODE(tks_options_set_log(options, count_events, &seen), TKS_OK);
  CHECK_CODE(tks_options_set_path(options, path), TKS_OK);
  CHECK_CODE(tks_options_set_key_env(options, "TKS_C_API_TEST_KEY"), TKS_OK);
  CHECK_CODE(tks_store_open(options, &store, NULL), TKS_OK);
  token = make_token("secret-user@x.com:1", "log");
  CHECK_CODE(tks_store_save(store, token, NULL), TKS_OK);
  tks_store_close(store);
  CHECK(seen.events >= 2); /* Created or opened, and closed. */
  CHECK(seen.opened == 1);
  CHECK(!seen.leaked_user);

  /* A NULL sink turns logging off again. */
  seen.events = 0;
  CHECK_CODE(tks_options_set_log(options, NULL, NULL), TKS_OK);
  CHECK_CODE(tks_store_open(options, &store, NULL), TKS_OK);
  tks_store_close(store);
  CHECK(seen.events == 0);
  tks_token_free(token);
  tks_options_free(options);
}

static void test_map_full(void) {
  tks_options* options = NULL;
  tks_store* store = NULL;
  tks_error* err = NULL;
  static char value[TKS_MAX_FIELD_BYTES];
  int code = TKS_OK;
  int i;

  /* A map that may not grow fills up; the save says MAP_FULL. */
  CHECK_CODE(tks_options_create(&options), TKS_OK);
  CHECK_CODE(tks_options_set_ephemeral(options, 1), TKS_OK);
  CHECK_CODE(tks_options_set_map_size(options, 1 << 20, 1 << 20), TKS_OK);
  CHECK_CODE(tks_store_open(options, &store, &err), TKS_OK);
  tks_options_free(options);
  memset(value, 'v', sizeof value);
  for (i = 0; i < 1000 && code == TKS_OK; i++) {
    tks_token* token = NULL;
    char access[32];
    tks_token_create(&token);
    snprintf(access, sizeof access, "access-%d", i);
    set_text(token, TKS_FIELD_ACCESS_TOKEN, access);
    tks_token_field_set(token, TKS_FIELD_API_DOMAIN, value, sizeof value);
    code = tks_store_save(store, token, &err);
    tks_token_free(token);
  }
  CHECK_CODE(code, TKS_MAP_FULL);
  CHECK_ERROR(err, TKS_MAP_FULL);
  tks_store_close(store);
}

static void test_used_after_fork(void) {
  tks_store* store = open_ephemeral();
  tks_token* query = NULL;
  int found = 0;
  int status = 0;
  pid_t child;

  CHECK_CODE(tks_token_create(&query), TKS_OK);
  set_text(query, TKS_FIELD_USER_NAME, "anyone");
  fflush(NULL);
  child = fork();
  if (child == 0) {
    /* The child reports the code through its exit status, after closing
     * its copy of the handle (which must leave the parent's alone). */
    int code = tks_store_find(store, query, &found, NULL);
    tks_store_close(store);
    _exit(code);
  }
  CHECK(child > 0);
  CHECK(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == TKS_USED_AFTER_FORK);
  CHECK_CODE(tks_store_find(store, query, &found, NULL), TKS_OK);
  set_text(query, TKS_FIELD_ACCESS_TOKEN, "after-fork");
  CHECK_CODE(tks_store_save(store, query, NULL), TKS_OK);
  tks_token_free(query);
  tks_store_close(store);
}

/* READERS_FULL, IO_FATAL and UNSUPPORTED_FS are produced in
 * c_api_env_test.c (a helper holding every reader slot; the fault shim of
 * tests/reliability failing fsync or reporting an NFS filesystem).
 * INTERNAL is not produced anywhere: it means a bug or an unexpected
 * failure (out of memory, an unknown LMDB error) and no hook provokes one
 * cleanly; its number is the shared tks::Code numbering, checked by
 * static_asserts in api/src/version.cc. */
int main(void) {
  char dir[] = "/tmp/tks-c-api-test-XXXXXX";
  char command[128];

  if (mkdtemp(dir) == NULL) {
    fprintf(stderr, "cannot make a temporary directory\n");
    return 2;
  }
  test_versions_and_names();
  test_error_accessors_accept_null();
  test_token_fields();
  test_token_fields_at_once();
  test_options_setters();
  test_open_paths(dir);
  test_log_sink(dir);
  test_find_and_save();
  test_delete_calls();
  test_iterator_and_stats();
  test_stats_argument_errors();
  test_leases();
  test_map_full();
  test_used_after_fork();

  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return report_checks();
}

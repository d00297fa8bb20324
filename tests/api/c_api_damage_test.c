/* c_api_damage_test: the error codes of damaged and newer stores as the C
 * API reports them. Bytes are changed with the LMDB C API directly, the
 * way a disk or an attacker would: a sealed record that no longer opens
 * gives CORRUPT (and the iterator moves past it), a newer format version
 * gives VERSION. Prints "N passed, M failed" last. */
#define _POSIX_C_SOURCE 200809L

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"
#include "tks/tks.h"

static const unsigned char kKey[32] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                       7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                       7, 7, 7, 7, 7, 7, 7, 7, 7, 7};

/* Opens the store at `path` with the test key; returns the code. */
static int open_store(const char* path, tks_store** store, tks_error** err) {
  return open_store_with_key(path, kKey, TKS_DURABILITY_NO_SYNC, store, err);
}

/* Saves three records with access tokens "a0".."a2"; ids 1..3. */
static void make_store(const char* path) {
  tks_store* store = NULL;
  int i;
  CHECK(open_store(path, &store, NULL) == TKS_OK);
  for (i = 0; i < 3; i++) {
    tks_token* token = NULL;
    char access[8];
    snprintf(access, sizeof access, "a%d", i);
    tks_token_create(&token);
    tks_token_field_set(token, TKS_FIELD_ACCESS_TOKEN, access, 2);
    CHECK(tks_store_save(store, token, NULL) == TKS_OK);
    tks_token_free(token);
  }
  tks_store_close(store);
}

/* Runs `change` on the named database inside one LMDB write transaction
 * of the closed store at `path`. 1 on success. */
static int change_db(const char* path, const char* db,
                     int (*change)(MDB_txn*, MDB_dbi)) {
  MDB_env* env = NULL;
  MDB_txn* txn = NULL;
  MDB_dbi dbi;
  int ok = 0;
  if (mdb_env_create(&env) != 0) return 0;
  if (mdb_env_set_maxdbs(env, 32) == 0 &&
      mdb_env_open(env, path, 0, 0600) == 0 &&
      mdb_txn_begin(env, NULL, 0, &txn) == 0) {
    ok = mdb_dbi_open(txn, db, 0, &dbi) == 0 && change(txn, dbi);
    if (ok) {
      ok = mdb_txn_commit(txn) == 0;
    } else {
      mdb_txn_abort(txn);
    }
  }
  mdb_env_close(env);
  return ok;
}

/* Flips the last byte of the second record's sealed value. */
static int flip_second_record(MDB_txn* txn, MDB_dbi dbi) {
  MDB_cursor* cursor = NULL;
  MDB_val key;
  MDB_val value;
  unsigned char* copy;
  int ok;
  if (mdb_cursor_open(txn, dbi, &cursor) != 0) return 0;
  ok = mdb_cursor_get(cursor, &key, &value, MDB_FIRST) == 0 &&
       mdb_cursor_get(cursor, &key, &value, MDB_NEXT) == 0 && value.mv_size > 0;
  mdb_cursor_close(cursor);
  if (!ok) return 0;
  copy = malloc(value.mv_size);
  if (copy == NULL) return 0;
  memcpy(copy, value.mv_data, value.mv_size);
  copy[value.mv_size - 1] ^= 0x01;
  value.mv_data = copy;
  ok = mdb_put(txn, dbi, &key, &value, 0) == 0;
  free(copy);
  return ok;
}

/* Writes a format version one above what this library reads. */
static int bump_format(MDB_txn* txn, MDB_dbi dbi) {
  const uint32_t newer = tks_format_version() + 1;
  unsigned char bytes[4];
  MDB_val key = {6, (void*)"format"};
  MDB_val value = {4, bytes};
  bytes[0] = (unsigned char)(newer >> 24);
  bytes[1] = (unsigned char)(newer >> 16);
  bytes[2] = (unsigned char)(newer >> 8);
  bytes[3] = (unsigned char)newer;
  return mdb_put(txn, dbi, &key, &value, 0) == 0;
}

static void test_corrupt_record(const char* path) {
  tks_store* store = NULL;
  tks_error* err = NULL;
  tks_token* token = NULL;
  tks_iter* iter = NULL;
  int code;

  make_store(path);
  CHECK(change_db(path, "records", flip_second_record));
  CHECK(open_store(path, &store, NULL) == TKS_OK);

  /* The damaged record: CORRUPT, naming its id, no partial data. */
  token = (tks_token*)1;
  CHECK(tks_store_find_by_id(store, "2", &token, &err) == TKS_CORRUPT);
  CHECK(token == NULL);
  CHECK(err != NULL && tks_error_code(err) == TKS_CORRUPT);
  CHECK(err != NULL && strstr(tks_error_message(err), "2") != NULL);
  tks_error_free(err);
  err = NULL;

  /* The other records stay readable. */
  CHECK(tks_store_find_by_id(store, "3", &token, NULL) == TKS_OK);
  tks_token_free(token);

  /* The iterator reports it and moves past it. */
  CHECK(tks_iter_create(store, &iter, NULL) == TKS_OK);
  CHECK(tks_iter_next(iter, &token, NULL) == TKS_OK && token != NULL);
  CHECK(strcmp(tks_token_id(token), "1") == 0);
  tks_token_free(token);
  code = tks_iter_next(iter, &token, &err);
  CHECK(code == TKS_CORRUPT && token == NULL);
  CHECK(err != NULL && tks_error_code(err) == TKS_CORRUPT);
  tks_error_free(err);
  CHECK(tks_iter_next(iter, &token, NULL) == TKS_OK && token != NULL);
  CHECK(token != NULL && strcmp(tks_token_id(token), "3") == 0);
  tks_token_free(token);
  CHECK(tks_iter_next(iter, &token, NULL) == TKS_OK && token == NULL);
  tks_iter_free(iter);
  tks_store_close(store);
}

static void test_newer_format(const char* path) {
  tks_store* store = NULL;
  tks_error* err = NULL;

  make_store(path);
  CHECK(change_db(path, "meta", bump_format));
  CHECK(open_store(path, &store, &err) == TKS_VERSION);
  CHECK(store == NULL);
  CHECK(err != NULL && tks_error_code(err) == TKS_VERSION);
  tks_error_free(err);
}

int main(void) {
  char dir[] = "/tmp/tks-c-damage-test-XXXXXX";
  char path[256];
  char command[128];

  if (mkdtemp(dir) == NULL) {
    fprintf(stderr, "cannot make a temporary directory\n");
    return 2;
  }
  snprintf(path, sizeof path, "%s/corrupt", dir);
  test_corrupt_record(path);
  snprintf(path, sizeof path, "%s/newer", dir);
  test_newer_format(path);

  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return report_checks();
}

/* c_api_env_test: the error codes that only a hostile environment gives,
 * produced through the C API:
 * - READERS_FULL: a helper process opens the store with raw LMDB and a
 *   reader table of two slots, and holds both with read transactions;
 *   the store then has no slot for its own reads.
 * - IO_FATAL: a child runs under the fault shim of tests/reliability
 *   (LD_PRELOAD), which fails every fsync of data.mdb once: the save
 *   fails with IO_FATAL and the handle refuses the next one too.
 * - UNSUPPORTED_FS: a child runs under the same shim, which makes statfs
 *   report the NFS magic number: the open is refused.
 * INTERNAL is not produced: it means a bug or an unexpected failure, and
 * no hook provokes one. Prints "N passed, M failed" last. */
#define _GNU_SOURCE

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "c_check.h"
#include "tks/tks.h"

static const unsigned char kKey[32] = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                                       9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                                       9, 9, 9, 9, 9, 9, 9, 9, 9, 9};

/* Opens the store at `path` with the test key; returns the code. */
static int open_store(const char* path, tks_store** store, tks_error** err) {
  return open_store_with_key(path, kKey, TKS_DURABILITY_FULL, store, err);
}

/* Saves a record with access token `access`; returns the code. */
static int save(tks_store* store, const char* access, tks_error** err) {
  tks_token* token = NULL;
  int code = tks_token_create(&token);
  if (code != TKS_OK) return code;
  tks_token_field_set(token, TKS_FIELD_ACCESS_TOKEN, access, strlen(access));
  code = tks_store_save(store, token, err);
  tks_token_free(token);
  return code;
}

/* A new store at `path` with one record (id 1). */
static void make_store(const char* path) {
  tks_store* store = NULL;
  CHECK(open_store(path, &store, NULL) == TKS_OK);
  CHECK(save(store, "first", NULL) == TKS_OK);
  tks_store_close(store);
}

/* Whether the record with id 1 opens. */
static int first_record_intact(const char* path) {
  tks_store* store = NULL;
  tks_token* token = NULL;
  int ok = open_store(path, &store, NULL) == TKS_OK &&
           tks_store_find_by_id(store, "1", &token, NULL) == TKS_OK;
  tks_token_free(token);
  tks_store_close(store);
  return ok;
}

/* Child of the IO_FATAL test, under the shim: exit 0 when the save fails
 * with IO_FATAL and the handle then refuses the next save. */
static int child_io(const char* path) {
  tks_store* store = NULL;
  tks_error* err = NULL;
  int first;
  int second;
  if (open_store(path, &store, NULL) != TKS_OK) return 10;
  first = save(store, "second", &err);
  if (first != TKS_IO_FATAL || tks_error_code(err) != TKS_IO_FATAL) {
    return 11;
  }
  tks_error_free(err);
  second = save(store, "third", &err);
  if (second != TKS_IO_FATAL) return 12;
  tks_error_free(err);
  tks_store_close(store);
  return 0;
}

/* Child of the UNSUPPORTED_FS test, under the shim: exit 0 when the open
 * is refused with UNSUPPORTED_FS naming nfs. */
static int child_nfs(const char* path) {
  tks_store* store = NULL;
  tks_error* err = NULL;
  int code = open_store(path, &store, &err);
  int ok = code == TKS_UNSUPPORTED_FS && store == NULL &&
           strstr(tks_error_message(err), "nfs") != NULL;
  tks_error_free(err);
  tks_store_close(store);
  return ok ? 0 : 20;
}

/* Runs this program again as "--child MODE PATH" with the fault shim
 * preloaded and `extra` ("NAME=VALUE") set; returns its exit code. */
static int run_child(const char* mode, const char* path, const char* extra) {
  pid_t pid = fork();
  int status = 0;
  if (pid == 0) {
    char asan[512];
    const char* old = getenv("ASAN_OPTIONS");
    /* Under AddressSanitizer the shim is loaded before the runtime. */
    snprintf(asan, sizeof asan, "%s%sverify_asan_link_order=0",
             old != NULL ? old : "", old != NULL ? ":" : "");
    setenv("ASAN_OPTIONS", asan, 1);
    setenv("LD_PRELOAD", TKS_FAULT_SHIM, 1);
    putenv((char*)extra);
    execl("/proc/self/exe", "c_api_env_test", "--child", mode, path,
          (char*)NULL);
    _exit(127);
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
    return -1;
  }
  return WEXITSTATUS(status);
}

static void test_io_fatal(const char* dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/io", dir);
  make_store(path);
  CHECK(run_child("io", path, "TKS_FAULT_OP=sync") == 0);
  CHECK(first_record_intact(path));
}

static void test_unsupported_fs(const char* dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/nfs", dir);
  CHECK(run_child("nfs", path, "TKS_FAULT_FS_MAGIC=0x6969") == 0);
  make_store(path); /* Without the shim the same directory is fine. */
  CHECK(first_record_intact(path));
}

/* The READERS_FULL helper: holds both slots of a two-slot reader table
 * until the parent writes to `release`; reports on `ready`. */
static void hold_readers(const char* path, int ready, int release) {
  MDB_env* env = NULL;
  MDB_txn* txns[2] = {NULL, NULL};
  char byte = 'x';
  if (mdb_env_create(&env) == 0 && mdb_env_set_maxreaders(env, 2) == 0 &&
      mdb_env_set_maxdbs(env, 16) == 0 &&
      mdb_env_open(env, path, MDB_NOTLS, 0600) == 0 &&
      mdb_txn_begin(env, NULL, MDB_RDONLY, &txns[0]) == 0 &&
      mdb_txn_begin(env, NULL, MDB_RDONLY, &txns[1]) == 0) {
    byte = 'r';
  }
  if (write(ready, &byte, 1) != 1) _exit(2);
  if (read(release, &byte, 1) != 1) _exit(3);
  _exit(0);
}

static void test_readers_full(const char* dir) {
  char path[512];
  char lock[600];
  int ready[2];
  int release[2];
  char byte = 0;
  pid_t pid;
  int status = 0;
  int code;
  tks_store* store = NULL;
  tks_token* token = NULL;
  tks_error* err = NULL;

  /* Step 1: a store, closed, then the helper takes every reader slot. An
   * existing lock file is never shrunk by LMDB, so it goes first (no
   * process has the store open). */
  snprintf(path, sizeof path, "%s/readers", dir);
  make_store(path);
  snprintf(lock, sizeof lock, "%s/lock.mdb", path);
  CHECK(unlink(lock) == 0);
  if (pipe(ready) != 0 || pipe(release) != 0) {
    CHECK(!"pipe");
    return;
  }
  pid = fork();
  if (pid == 0) hold_readers(path, ready[1], release[0]);
  CHECK(pid > 0 && read(ready[0], &byte, 1) == 1 && byte == 'r');

  /* Step 2: the open, or the first read, finds no slot. */
  code = open_store(path, &store, &err);
  if (code == TKS_OK) {
    code = tks_store_find_by_id(store, "1", &token, &err);
  }
  CHECK(code == TKS_READERS_FULL);
  CHECK(tks_error_code(err) == TKS_READERS_FULL);
  CHECK(strlen(tks_error_message(err)) > 0);
  tks_error_free(err);
  tks_token_free(token);
  tks_store_close(store);

  /* Step 3: the helper lets go; the store reads again. */
  CHECK(write(release[1], "g", 1) == 1);
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0);
  close(ready[0]);
  close(ready[1]);
  close(release[0]);
  close(release[1]);
  CHECK(first_record_intact(path));
}

int main(int argc, char** argv) {
  char dir[] = "/tmp/tks-c-api-env-test-XXXXXX";
  char command[128];

  if (argc == 4 && strcmp(argv[1], "--child") == 0) {
    if (strcmp(argv[2], "io") == 0) return child_io(argv[3]);
    if (strcmp(argv[2], "nfs") == 0) return child_nfs(argv[3]);
    return 2;
  }
  if (mkdtemp(dir) == NULL) {
    fprintf(stderr, "cannot make a temporary directory\n");
    return 2;
  }
  test_readers_full(dir);
  test_io_fatal(dir);
  test_unsupported_fs(dir);
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  if (system(command) != 0) fprintf(stderr, "cannot remove %s\n", dir);
  return report_checks();
}

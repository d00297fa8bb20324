/* fault_shim: an LD_PRELOAD library that makes writes or flushes of a
 * store's data.mdb fail, for the fault-injection tests (issue #6).
 *
 * Environment (read once, at the first intercepted call):
 *   TKS_FAULT_OP     "write" (pwrite, write, writev) or "sync" (fsync,
 *                    fdatasync, msync); unset: the shim does nothing
 *   TKS_FAULT_AFTER  how many matching calls succeed before failures start
 *   TKS_FAULT_ERRNO  "EIO" (default) or "ENOSPC"
 *   TKS_FAULT_ONCE   "1": fail one call only (a disk that comes back)
 *   TKS_FAULT_FS_MAGIC  a filesystem type number (e.g. 0x6969, NFS) that
 *                    statfs and fstatfs report for every path, so a store
 *                    can be shown the refusal of a network filesystem
 *                    without one; independent of TKS_FAULT_OP
 * A failing call does nothing and returns -1 with that errno. Only calls on
 * a file descriptor whose path ends in "/data.mdb" count (msync, which has
 * no descriptor, always counts as a sync). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <unistd.h>

enum { kOpNone = 0, kOpWrite = 1, kOpSync = 2 };

static int g_ready;
static int g_op;
static long g_after;
static int g_errno = EIO;
static int g_once;
static long g_seen;
static int g_failed;

static void Setup(void) {
  if (g_ready) return;
  g_ready = 1;
  const char* op = getenv("TKS_FAULT_OP");
  if (op == NULL) return;
  if (strcmp(op, "write") == 0) g_op = kOpWrite;
  if (strcmp(op, "sync") == 0) g_op = kOpSync;
  const char* after = getenv("TKS_FAULT_AFTER");
  g_after = after != NULL ? atol(after) : 0;
  const char* code = getenv("TKS_FAULT_ERRNO");
  if (code != NULL && strcmp(code, "ENOSPC") == 0) g_errno = ENOSPC;
  const char* once = getenv("TKS_FAULT_ONCE");
  g_once = once != NULL && strcmp(once, "1") == 0;
}

static int IsDataFile(int fd) {
  char link[64];
  char target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t size = readlink(link, target, sizeof target - 1);
  if (size <= 0) return 0;
  target[size] = '\0';
  const char* suffix = "/data.mdb";
  size_t n = strlen(suffix);
  return (size_t)size >= n && strcmp(target + size - n, suffix) == 0;
}

/* True when this call must fail (and sets errno). */
static int ShouldFail(int op, int fd) {
  Setup();
  if (g_op != op) return 0;
  if (fd >= 0 && !IsDataFile(fd)) return 0;
  if (g_once && g_failed) return 0;
  if (g_seen++ < g_after) return 0;
  g_failed = 1;
  errno = g_errno;
  return 1;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  if (ShouldFail(kOpWrite, fd)) return -1;
  return NEXT(pwrite)(fd, buf, count, offset);
}

ssize_t write(int fd, const void* buf, size_t count) {
  if (ShouldFail(kOpWrite, fd)) return -1;
  return NEXT(write)(fd, buf, count);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  if (ShouldFail(kOpWrite, fd)) return -1;
  return NEXT(writev)(fd, iov, iovcnt);
}

int fsync(int fd) {
  if (ShouldFail(kOpSync, fd)) return -1;
  return NEXT(fsync)(fd);
}

int fdatasync(int fd) {
  if (ShouldFail(kOpSync, fd)) return -1;
  return NEXT(fdatasync)(fd);
}

int msync(void* addr, size_t length, int flags) {
  if (ShouldFail(kOpSync, -1)) return -1;
  return NEXT(msync)(addr, length, flags);
}

/* Replaces f_type with $TKS_FAULT_FS_MAGIC when it is set. */
static void FakeFsType(struct statfs* info) {
  const char* magic = getenv("TKS_FAULT_FS_MAGIC");
  if (magic != NULL) info->f_type = (__fsword_t)strtoul(magic, NULL, 0);
}

int statfs(const char* path, struct statfs* info) {
  int rc = NEXT(statfs)(path, info);
  if (rc == 0) FakeFsType(info);
  return rc;
}

int fstatfs(int fd, struct statfs* info) {
  int rc = NEXT(fstatfs)(fd, info);
  if (rc == 0) FakeFsType(info);
  return rc;
}

int statfs64(const char* path, struct statfs64* info) {
  int rc = NEXT(statfs64)(path, info);
  const char* magic = getenv("TKS_FAULT_FS_MAGIC");
  if (rc == 0 && magic != NULL) {
    info->f_type = (__fsword_t)strtoul(magic, NULL, 0);
  }
  return rc;
}

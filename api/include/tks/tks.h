/* tks.h: the stable C API of tokenstore, an embedded, encrypted store of
 * OAuth token records (DESIGN §9).
 *
 * CONVENTIONS
 *
 * Names. Every symbol is tks_<object>_<verb>; every macro starts TKS_.
 *
 * Handles. tks_store, tks_options, tks_token, tks_iter and tks_error are
 * opaque. Each is made by one call (tks_store_open, tks_options_create,
 * tks_token_create, tks_iter_create, or a failing call) and released by
 * one call (tks_store_close, tks_options_free, tks_token_free,
 * tks_iter_free, tks_error_free). Every release call accepts NULL and
 * does nothing then.
 *
 * Status codes. Every fallible call returns an int: TKS_OK (0) on success
 * or one of the TKS_* codes below. The numbers are fixed forever and equal
 * those of the engine's tks::Code. A bad argument (a NULL pointer, an
 * unknown field, an oversize value) gives TKS_INVALID_ARGUMENT; the library
 * never aborts the host process and no C++ exception crosses this API.
 *
 * Error objects. Calls that can fail for reasons other than their
 * arguments take a last parameter `tks_error **err`, which may be NULL.
 * When err is not NULL, the call sets *err to NULL on success and to a
 * fresh error object on failure (or NULL if even that could not be
 * allocated). The library never reads or frees the previous *err; the
 * caller frees each error object with tks_error_free. Messages name what
 * failed (a field, a record id, a file) and never hold a token value, a
 * secret or a user name.
 *
 * Bytes. Field values are byte strings passed as (pointer, length); they
 * may hold any byte, including NUL, and come back exactly as given. A
 * field is either null or a byte string, and null is distinct from the
 * empty string: tks_token_field_get reports null as a NULL pointer and the
 * empty string as a non-NULL pointer with length 0. Record ids, paths,
 * lease holders and environment variable names are NUL-terminated strings.
 *
 * Ownership. The library owns everything it allocates and frees it only
 * through the release calls above. Pointers the library hands out
 * (tks_token_field_get, tks_token_id, tks_error_message, tks_store_path)
 * point into the object they came from and stay valid until that object is
 * changed or released. Memory holding field values is wiped when released.
 * Inputs are copied; the caller may reuse its buffers as soon as a call
 * returns.
 *
 * Thread safety. A tks_store may be used from many threads at once. Other
 * handles (options, tokens, iterators, errors) are plain values: one
 * thread at a time each. The functions without a handle argument may be
 * called from any thread. A store must not be used in a child process
 * after fork(): calls there return TKS_USED_AFTER_FORK, and
 * tks_store_close there releases the child's copy without touching the
 * parent's store.
 *
 * Compatibility. libtks.so.N changes N (its SOVERSION) on any ABI break;
 * within one N, calls and struct fields are only ever added.
 *
 * Common errors. Besides those listed per call, every call on a store may
 * return TKS_USED_AFTER_FORK, TKS_READERS_FULL or TKS_INTERNAL, and every
 * writing call TKS_IO_FATAL (the store then refuses writes until it is
 * reopened) or TKS_MAP_FULL.
 */
#ifndef TKS_TKS_H_
#define TKS_TKS_H_

#include <stddef.h>
#include <stdint.h>

#if defined(TKS_BUILDING_LIBRARY)
#define TKS_EXPORT __attribute__((visibility("default")))
#else
#define TKS_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------- */

/* The version of this header. tks_version_number() gives the version of
 * the library actually loaded, which may be newer. */
#define TKS_VERSION_MAJOR 0
#define TKS_VERSION_MINOR 1
#define TKS_VERSION_PATCH 0
#define TKS_VERSION_STRING "0.1.0"
/* major * 10000 + minor * 100 + patch. */
#define TKS_VERSION_NUMBER \
  (TKS_VERSION_MAJOR * 10000 + TKS_VERSION_MINOR * 100 + TKS_VERSION_PATCH)

/* The loaded library's version as "MAJOR.MINOR.PATCH". Static storage. */
TKS_EXPORT const char* tks_version_string(void);

/* The loaded library's version as MAJOR * 10000 + MINOR * 100 + PATCH. */
TKS_EXPORT uint32_t tks_version_number(void);

/* The on-disk format version this library writes and reads. A store from
 * a newer format is refused at open with TKS_VERSION. */
TKS_EXPORT uint32_t tks_format_version(void);

/* ---------------------------------------------------------------------
 * Status codes and errors
 * ------------------------------------------------------------------- */

#define TKS_OK 0
#define TKS_NOT_FOUND 1        /* No record with that id (or lease). */
#define TKS_INVALID_ARGUMENT 2 /* Bad input; the message names it. */
#define TKS_CONFLICT 3         /* A token value or generation clash. */
#define TKS_WRONG_KEY 4        /* The root key does not open the store. */
#define TKS_CORRUPT 5          /* A stored value failed to open. */
#define TKS_VERSION 6          /* Store from a newer or unknown format. */
#define TKS_MAP_FULL 7         /* The map could not grow. */
#define TKS_READERS_FULL 8     /* No free reader slot. */
#define TKS_IO_FATAL 9         /* I/O failed at commit; reopen. */
#define TKS_LEASE_HELD 10      /* Another holder owns the lease. */
#define TKS_USED_AFTER_FORK 11 /* Store used in a forked child. */
#define TKS_UNSUPPORTED_FS 12  /* Store on a network filesystem. */
#define TKS_INTERNAL 13        /* A bug or an unexpected failure. */

/* The name of a status code, e.g. "NOT_FOUND" for TKS_NOT_FOUND, or
 * "UNKNOWN" for a number that is no code. Static storage; never NULL. */
TKS_EXPORT const char* tks_code_name(int code);

typedef struct tks_error tks_error;

/* The status code of an error; TKS_INVALID_ARGUMENT for NULL. */
TKS_EXPORT int tks_error_code(const tks_error* error);

/* The message of an error: NUL-terminated, owned by the error. "" for
 * NULL. Never holds a secret. */
TKS_EXPORT const char* tks_error_message(const tks_error* error);

/* Releases an error. Accepts NULL. */
TKS_EXPORT void tks_error_free(tks_error* error);

/* ---------------------------------------------------------------------
 * Token records
 * ------------------------------------------------------------------- */

/* The ten fields of a record (DESIGN §2). The numbers are fixed. */
#define TKS_FIELD_ID 0
#define TKS_FIELD_USER_NAME 1
#define TKS_FIELD_CLIENT_ID 2
#define TKS_FIELD_CLIENT_SECRET 3
#define TKS_FIELD_REFRESH_TOKEN 4
#define TKS_FIELD_ACCESS_TOKEN 5
#define TKS_FIELD_GRANT_TOKEN 6
#define TKS_FIELD_EXPIRY_TIME 7
#define TKS_FIELD_REDIRECT_URL 8
#define TKS_FIELD_API_DOMAIN 9
#define TKS_FIELD_COUNT 10

/* Limits, checked by tks_token_field_set (per field) and by the saving
 * calls (whole record). */
#define TKS_MAX_ID_BYTES 128
#define TKS_MAX_FIELD_BYTES 16384
#define TKS_MAX_RECORD_BYTES 65536

/* The snake-case name of a field, e.g. "refresh_token"; NULL for a number
 * that is no field. Static storage. */
TKS_EXPORT const char* tks_field_name(int field);

typedef struct tks_token tks_token;

/* Makes an empty token (all ten fields null, generation 0) in *out.
 * Errors: INVALID_ARGUMENT (out is NULL), INTERNAL (out of memory).
 * The caller releases *out with tks_token_free. */
TKS_EXPORT int tks_token_create(tks_token** out);

/* Releases a token and wipes its values. Accepts NULL. */
TKS_EXPORT void tks_token_free(tks_token* token);

/* Sets a field to a copy of `length` bytes at `data` (data may be NULL
 * only when length is 0, which sets the empty string, not null).
 * Errors: INVALID_ARGUMENT for a NULL token, an unknown field, data NULL
 * with length > 0, a value over TKS_MAX_FIELD_BYTES, or an id over
 * TKS_MAX_ID_BYTES or not printable ASCII. The token is unchanged then. */
TKS_EXPORT int tks_token_field_set(tks_token* token, int field,
                                   const void* data, size_t length);

/* Reads a field. A null field gives *data = NULL and *length = 0; a set
 * field gives a non-NULL *data (also for the empty string) pointing to
 * its bytes, followed by a NUL that is not counted in *length. The
 * pointer stays valid until the field is changed or the token is freed
 * or passed to a call that changes it (find, save).
 * Errors: INVALID_ARGUMENT for a NULL argument or an unknown field. */
TKS_EXPORT int tks_token_field_get(const tks_token* token, int field,
                                   const void** data, size_t* length);

/* Sets a field to null. Errors: INVALID_ARGUMENT for a NULL token or an
 * unknown field. */
TKS_EXPORT int tks_token_field_clear(tks_token* token, int field);

/* Reads all ten fields in one call (for bindings, where each call has a
 * cost): data[i] and length[i] receive what tks_token_field_get gives for
 * field i. Errors: INVALID_ARGUMENT for a NULL argument. */
TKS_EXPORT int tks_token_fields_get(const tks_token* token,
                                    const void* data[TKS_FIELD_COUNT],
                                    size_t length[TKS_FIELD_COUNT]);

/* Sets all ten fields in one call: field i becomes null when data[i] is
 * NULL, else a copy of the length[i] bytes at data[i] (a non-NULL pointer
 * with length 0 is the empty string). All or nothing: on
 * INVALID_ARGUMENT (a NULL argument, a value over its limit, a bad id)
 * the token is unchanged. Generation and update time are kept. */
TKS_EXPORT int tks_token_fields_set(tks_token* token,
                                    const void* const data[TKS_FIELD_COUNT],
                                    const size_t length[TKS_FIELD_COUNT]);

/* The token's id as a NUL-terminated string, or NULL when the id is null
 * or token is NULL. Same lifetime as tks_token_field_get. */
TKS_EXPORT const char* tks_token_id(const tks_token* token);

/* The record's generation: 1 on insert, +1 per save; 0 for a token that
 * was never stored and for NULL. */
TKS_EXPORT uint64_t tks_token_generation(const tks_token* token);

/* The time of the record's last save in epoch milliseconds; 0 for a token
 * that was never stored and for NULL. */
TKS_EXPORT uint64_t tks_token_updated_at(const tks_token* token);

/* ---------------------------------------------------------------------
 * Opening a store
 * ------------------------------------------------------------------- */

/* How far a successful write has reached when it returns. */
#define TKS_DURABILITY_FULL 0         /* On stable storage (default). */
#define TKS_DURABILITY_NO_META_SYNC 1 /* A crash may lose the last commit. */
#define TKS_DURABILITY_NO_SYNC 2      /* A machine crash may lose more. */

typedef struct tks_options tks_options;

/* Makes options with the defaults: no path, create the store if missing,
 * not ephemeral, no root key, TKS_DURABILITY_FULL, a 64 MiB first map
 * that grows without limit. Errors: INVALID_ARGUMENT (out NULL),
 * INTERNAL. The caller releases *out with tks_options_free. */
TKS_EXPORT int tks_options_create(tks_options** out);

/* Releases options and wipes any key or passphrase they hold. Accepts
 * NULL. */
TKS_EXPORT void tks_options_free(tks_options* options);

/* The store directory, created 0700 when missing. Errors for all setters:
 * INVALID_ARGUMENT for a NULL argument or a value out of range. */
TKS_EXPORT int tks_options_set_path(tks_options* options, const char* path);

/* Whether a missing store is created (non-zero, the default) or refused
 * with TKS_NOT_FOUND (zero). */
TKS_EXPORT int tks_options_set_create_if_missing(tks_options* options,
                                                 int create);

/* The root key sources. A store needs exactly one of them (an ephemeral
 * store makes a random key when given none); several give
 * TKS_INVALID_ARGUMENT at open. */

/* A key file made by `tks init` (64 hex characters, mode 0600). */
TKS_EXPORT int tks_options_set_key_file(tks_options* options, const char* path);

/* The raw root key: exactly 32 bytes, copied into guarded memory. */
TKS_EXPORT int tks_options_set_key_bytes(tks_options* options, const void* key,
                                         size_t length);

/* The name of an environment variable holding the key as 64 hex
 * characters; read at open. */
TKS_EXPORT int tks_options_set_key_env(tks_options* options, const char* name);

/* A passphrase, stretched with Argon2id at open (slow on purpose). Must
 * not be empty. */
TKS_EXPORT int tks_options_set_passphrase(tks_options* options,
                                          const void* passphrase,
                                          size_t length);

/* One of TKS_DURABILITY_*. */
TKS_EXPORT int tks_options_set_durability(tks_options* options, int durability);

/* Non-zero: a new store in a private temporary directory that is deleted
 * when the store closes; the path is ignored. An ephemeral store always
 * runs as TKS_DURABILITY_NO_SYNC. */
TKS_EXPORT int tks_options_set_ephemeral(tks_options* options, int ephemeral);

/* The first map size in bytes (non-zero) and the most the map may grow
 * to (0: no limit but the disk). */
TKS_EXPORT int tks_options_set_map_size(tks_options* options,
                                        uint64_t initial_bytes,
                                        uint64_t max_bytes);

/* Levels of the events a log sink receives. */
#define TKS_LOG_DEBUG 0
#define TKS_LOG_INFO 1
#define TKS_LOG_WARNING 2
#define TKS_LOG_ERROR 3

/* A log sink: receives the store's lifecycle events (open, create,
 * recovery, map growth, commit failure, close); the library never prints.
 * `message` is `length` bytes followed by a NUL, valid only during the
 * call, and never holds a token value, secret or user name. It is called
 * from whichever thread caused the event, possibly several at once, so it
 * must be thread-safe; it must not call into the store and must return
 * normally (no longjmp, no C++ exception). */
typedef void (*tks_log_fn)(void* context, int level, const char* message,
                           size_t length);

/* Sends lifecycle events to `log`, passing `context` back (NULL log: no
 * logging, the default). `context` must stay valid until the store and
 * its iterators are released. */
TKS_EXPORT int tks_options_set_log(tks_options* options, tks_log_fn log,
                                   void* context);

/* ---------------------------------------------------------------------
 * The store
 * ------------------------------------------------------------------- */

typedef struct tks_store tks_store;

/* Opens (or creates) the store the options describe in *out. The options
 * may be released right after.
 * Errors: INVALID_ARGUMENT (NULL argument, no or several key sources, bad
 * key file), NOT_FOUND (no store and create_if_missing off), WRONG_KEY,
 * VERSION, CORRUPT (damaged keyring), UNSUPPORTED_FS, INTERNAL (I/O,
 * permissions). The caller closes *out with tks_store_close. */
TKS_EXPORT int tks_store_open(const tks_options* options, tks_store** out,
                              tks_error** err);

/* Closes a store. Iterators still open keep the store alive until they
 * are freed; an ephemeral store's directory is deleted at the last of
 * these. REQUIRES: no other thread is inside a call on this store.
 * Accepts NULL. */
TKS_EXPORT void tks_store_close(tks_store* store);

/* The store directory (the temporary one of an ephemeral store),
 * NUL-terminated, owned by the store; "" for NULL. */
TKS_EXPORT const char* tks_store_path(const tks_store* store);

/* Finds the record matching `query` by the first applicable rule of
 * DESIGN §3.1 (user name; else access token without client id and
 * secret; else grant then refresh token with client id and secret; else
 * nothing). On a hit, *found = 1 and the record is merged into the query:
 * only the query's null fields are filled, its own values win, and its
 * id, generation and update time become the record's. On a miss, *found
 * = 0, the query is unchanged and the call returns TKS_OK.
 * Errors: INVALID_ARGUMENT (NULL argument), CORRUPT (naming the id). */
TKS_EXPORT int tks_store_find(tks_store* store, tks_token* query, int* found,
                              tks_error** err);

/* Upsert (DESIGN §3.2). A token with an id replaces that record (its null
 * fields keep the stored values); else the record found as by
 * tks_store_find is replaced; else a new record is inserted. On success
 * the token's id, generation and update time are written back.
 * Errors: NOT_FOUND (an id no record has: a deleted record is never
 * brought back), INVALID_ARGUMENT (NULL argument, limits, an insert with
 * no refresh, access or grant token), CONFLICT (a refresh, access or
 * grant token belongs to another record; nothing changed). */
TKS_EXPORT int tks_store_save(tks_store* store, tks_token* token,
                              tks_error** err);

/* tks_store_save, but only if the target's stored generation equals
 * expected_generation (0: only if the save inserts). CONFLICT otherwise,
 * with nothing changed. Other errors as tks_store_save. */
TKS_EXPORT int tks_store_save_if(tks_store* store, tks_token* token,
                                 uint64_t expected_generation, tks_error** err);

/* The record with `id` in a new token in *out, which the caller releases
 * with tks_token_free. Errors: NOT_FOUND (no such record; *out = NULL),
 * INVALID_ARGUMENT (NULL argument), CORRUPT (naming the id). */
TKS_EXPORT int tks_store_find_by_id(tks_store* store, const char* id,
                                    tks_token** out, tks_error** err);

/* Removes the record with `id` and its index entries.
 * Errors: NOT_FOUND (no such record), INVALID_ARGUMENT (NULL argument). */
TKS_EXPORT int tks_store_delete(tks_store* store, const char* id,
                                tks_error** err);

/* Removes every record, in one transaction.
 * Errors: INVALID_ARGUMENT (NULL store). */
TKS_EXPORT int tks_store_delete_all(tks_store* store, tks_error** err);

/* Removes every record whose user name is the `length` bytes at
 * `user_name`; *deleted (if not NULL) receives how many.
 * Errors: INVALID_ARGUMENT (NULL store, or user_name NULL with
 * length > 0). */
TKS_EXPORT int tks_store_delete_user(tks_store* store, const void* user_name,
                                     size_t length, uint64_t* deleted,
                                     tks_error** err);

/* Removes up to `limit` records whose expiry time parses and is before
 * `before_ms` (epoch milliseconds), oldest first, in one transaction;
 * *deleted (if not NULL) receives how many. Call again until it is less
 * than limit. Errors: INVALID_ARGUMENT (NULL store, limit 0). */
TKS_EXPORT int tks_store_purge_expired(tks_store* store, uint64_t before_ms,
                                       uint64_t limit, uint64_t* deleted,
                                       tks_error** err);

/* Single-flight refresh (DESIGN §3.4): grants the lease on record `id` to
 * `holder` for ttl_ms milliseconds if it is free, expired, or already
 * held by `holder` (a renewal).
 * Errors: LEASE_HELD (another holder has it), NOT_FOUND (no such
 * record), INVALID_ARGUMENT (NULL argument, empty holder, ttl_ms 0). */
TKS_EXPORT int tks_store_lease_acquire(tks_store* store, const char* id,
                                       const char* holder, uint64_t ttl_ms,
                                       tks_error** err);

/* Releases the lease on record `id` if `holder` has it.
 * Errors: NOT_FOUND (holder holds no lease on it), INVALID_ARGUMENT. */
TKS_EXPORT int tks_store_lease_release(tks_store* store, const char* id,
                                       const char* holder, tks_error** err);

/* Store statistics. Fields are only ever appended to this struct. */
typedef struct tks_stats {
  uint64_t record_count;
  uint64_t user_index_entries;
  uint64_t refresh_index_entries;
  uint64_t access_index_entries;
  uint64_t grant_index_entries;
  uint64_t expiry_index_entries;
  uint64_t id_index_entries;
  uint64_t lease_count;
  uint64_t file_size_bytes;
  uint64_t map_size_bytes;
  uint64_t map_used_bytes;
  uint64_t page_size;
  uint64_t next_id;
  uint32_t format_version;
  uint32_t active_data_key_id;
} tks_stats;

/* Fills the first `size` bytes of *out (pass sizeof(tks_stats); an older
 * caller's smaller struct gets the fields it knows).
 * Errors: INVALID_ARGUMENT (NULL argument, size 0). */
TKS_EXPORT int tks_store_stats(tks_store* store, tks_stats* out, size_t size,
                               tks_error** err);

/* ---------------------------------------------------------------------
 * Iterating over every record
 * ------------------------------------------------------------------- */

typedef struct tks_iter tks_iter;

/* Makes an iterator over every record in insertion order in *out. It
 * holds no snapshot between calls: records saved while it runs may or may
 * not be seen. It keeps the store open until it is freed.
 * Errors: INVALID_ARGUMENT (NULL argument), INTERNAL. The caller releases
 * *out with tks_iter_free. */
TKS_EXPORT int tks_iter_create(tks_store* store, tks_iter** out,
                               tks_error** err);

/* The next record in a new token in *out (caller frees it), or *out =
 * NULL with TKS_OK at the end. Errors: CORRUPT naming a record whose
 * value does not open (*out = NULL; the next call moves past it),
 * INVALID_ARGUMENT (NULL argument). */
TKS_EXPORT int tks_iter_next(tks_iter* iter, tks_token** out, tks_error** err);

/* Releases an iterator. Accepts NULL. */
TKS_EXPORT void tks_iter_free(tks_iter* iter);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TKS_TKS_H_ */

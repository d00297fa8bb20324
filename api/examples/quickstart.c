/* quickstart: open a store, save a token, find it by every path, iterate,
 * delete. Usage: TKS_ROOT_KEY=<64 hex> quickstart STORE_DIR
 * Prints ids and counts only: token values are secrets. */
#include <stdio.h>
#include <string.h>
#include <tks/tks.h>

/* Prints the error of a failed call and frees it; returns 1. */
static int fail(const char* what, int code, tks_error* err) {
  fprintf(stderr, "%s: %s: %s\n", what, tks_code_name(code),
          tks_error_message(err));
  tks_error_free(err);
  return 1;
}

/* Sets a field from a C string (values are bytes: pointer + length). */
static void set(tks_token* token, int field, const char* text) {
  tks_token_field_set(token, field, text, strlen(text));
}

/* Finds with a query that has only the given fields; prints the id. */
static int find(tks_store* store, const char* how, int f1, const char* v1,
                int f2, const char* v2, int f3, const char* v3) {
  tks_token* query = NULL;
  tks_error* err = NULL;
  int found = 0;
  tks_token_create(&query);
  set(query, f1, v1);
  if (v2 != NULL) set(query, f2, v2);
  if (v3 != NULL) set(query, f3, v3);
  int code = tks_store_find(store, query, &found, &err);
  if (code != TKS_OK) return fail("find", code, err);
  printf("find by %s: %s\n", how, found ? tks_token_id(query) : "none");
  tks_token_free(query);
  return found ? 0 : 1;
}

int main(int argc, char** argv) {
  tks_options* options = NULL;
  tks_store* store = NULL;
  tks_token* token = NULL;
  tks_error* err = NULL;
  int code;

  if (argc != 2) {
    fprintf(stderr, "usage: TKS_ROOT_KEY=<64 hex> %s STORE_DIR\n", argv[0]);
    return 2;
  }

  /* 1. Open (or create) the store; the root key comes from the env. */
  tks_options_create(&options);
  tks_options_set_path(options, argv[1]);
  tks_options_set_key_env(options, "TKS_ROOT_KEY");
  code = tks_store_open(options, &store, &err);
  tks_options_free(options);
  if (code != TKS_OK) return fail("open", code, err);

  /* 2. Save a token: the store assigns its id. */
  tks_token_create(&token);
  set(token, TKS_FIELD_USER_NAME, "me@example.com:20050000");
  set(token, TKS_FIELD_CLIENT_ID, "1000.EXAMPLECLIENTID");
  set(token, TKS_FIELD_CLIENT_SECRET, "0123456789abcdef0123456789abcdef");
  set(token, TKS_FIELD_REFRESH_TOKEN, "1000.refresh.example");
  set(token, TKS_FIELD_ACCESS_TOKEN, "1000.access.example");
  set(token, TKS_FIELD_GRANT_TOKEN, "1000.grant.example");
  set(token, TKS_FIELD_EXPIRY_TIME, "1700000000000");
  set(token, TKS_FIELD_API_DOMAIN, "https://www.zohoapis.com");
  code = tks_store_save(store, token, &err);
  if (code != TKS_OK) return fail("save", code, err);
  printf("saved id %s, generation %llu\n", tks_token_id(token),
         (unsigned long long)tks_token_generation(token));

  /* 3. Find by user, by access token, by grant or refresh token. */
  if (find(store, "user", TKS_FIELD_USER_NAME, "me@example.com:20050000", 0,
           NULL, 0, NULL) ||
      find(store, "access token", TKS_FIELD_ACCESS_TOKEN, "1000.access.example",
           0, NULL, 0, NULL) ||
      find(store, "refresh token", TKS_FIELD_REFRESH_TOKEN,
           "1000.refresh.example", TKS_FIELD_CLIENT_ID, "1000.EXAMPLE",
           TKS_FIELD_CLIENT_SECRET, "x")) {
    return 1;
  }

  /* 4. By id: a new token the caller frees. */
  tks_token* by_id = NULL;
  code = tks_store_find_by_id(store, tks_token_id(token), &by_id, &err);
  if (code != TKS_OK) return fail("find_by_id", code, err);
  const void* domain = NULL;
  size_t length = 0;
  tks_token_field_get(by_id, TKS_FIELD_API_DOMAIN, &domain, &length);
  printf("find by id: api_domain %.*s\n", (int)length, (const char*)domain);
  tks_token_free(by_id);

  /* 5. Iterate over every record. */
  tks_iter* iter = NULL;
  tks_token* record = NULL;
  int count = 0;
  code = tks_iter_create(store, &iter, &err);
  while (code == TKS_OK) {
    code = tks_iter_next(iter, &record, &err);
    if (code != TKS_OK || record == NULL) break;
    count++;
    tks_token_free(record);
  }
  tks_iter_free(iter);
  if (code != TKS_OK) return fail("iterate", code, err);
  printf("records: %d\n", count);

  /* 6. Delete it, and close. */
  code = tks_store_delete(store, tks_token_id(token), &err);
  if (code != TKS_OK) return fail("delete", code, err);
  printf("deleted id %s\n", tks_token_id(token));
  tks_token_free(token);
  tks_store_close(store);
  return 0;
}

/* Opens an ephemeral store, saves and finds one record; exit 0 if all
 * of it worked. Built against an installed tokenstore. */
#include <stdio.h>
#include <string.h>
#include <tks/tks.h>

int main(void) {
  tks_options* options = NULL;
  tks_store* store = NULL;
  tks_token* token = NULL;
  tks_error* err = NULL;
  int found = 0;
  int code;

  /* Open, save one record, find it by its access token. */
  tks_options_create(&options);
  tks_options_set_ephemeral(options, 1);
  code = tks_store_open(options, &store, &err);
  tks_options_free(options);
  if (code == TKS_OK) code = tks_token_create(&token);
  if (code == TKS_OK) {
    code = tks_token_field_set(token, TKS_FIELD_ACCESS_TOKEN, "a", 1);
  }
  if (code == TKS_OK) code = tks_store_save(store, token, &err);
  if (code == TKS_OK) code = tks_token_field_clear(token, TKS_FIELD_ID);
  if (code == TKS_OK) code = tks_store_find(store, token, &found, &err);

  /* Report and clean up. */
  printf("tokenstore %s: %s, found %d\n", tks_version_string(),
         code == TKS_OK ? "OK" : tks_error_message(err), found);
  tks_error_free(err);
  tks_token_free(token);
  tks_store_close(store);
  return code == TKS_OK && found == 1 ? 0 : 1;
}

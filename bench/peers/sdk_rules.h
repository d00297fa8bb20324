// The SDK stores' way to find a record: test every record against the
// query's rule in turn (used by the list, CSV and SDK SQLite peers).
#ifndef TOKENSTORE_BENCH_PEERS_SDK_RULES_H_
#define TOKENSTORE_BENCH_PEERS_SDK_RULES_H_

#include "peer.h"

namespace tks::bench {

// The field a find path compares.
inline Field FieldOf(FindPath path) {
  switch (path) {
    case FindPath::kUser:
      return Field::kUserName;
    case FindPath::kAccess:
      return Field::kAccessToken;
    case FindPath::kRefresh:
      return Field::kRefreshToken;
    case FindPath::kGrant:
      break;
  }
  return Field::kGrantToken;
}

// Whether `candidate` is the record the path's rule finds for `probe`.
inline bool MatchesRule(FindPath path, const Record& probe,
                        const Record& candidate) {
  const Field field = FieldOf(path);
  return !probe.at(field).empty() && candidate.at(field) == probe.at(field);
}

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_PEERS_SDK_RULES_H_

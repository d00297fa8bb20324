// The keyring's index key change: a pending key that survives wrapping,
// and a finish that makes it the index key of the other index set.
#include "tokenstore/crypto/keyring.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tks::crypto {
namespace {

bool SameKey(const SecretKey& a, const SecretKey& b) {
  return std::memcmp(a.data(), b.data(), SecretKey::kSize) == 0;
}

// `ring` wrapped and unwrapped under `root`.
Keyring RoundTrip(const Keyring& ring, const SecretKey& root) {
  auto wrapped = ring.Wrap(root);
  EXPECT_TRUE(wrapped.ok());
  auto back = Keyring::Unwrap(root, *wrapped);
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  return std::move(back.value());
}

TEST(KeyringIndexChangeTest, NewKeyringUsesSetAWithNothingPending) {
  auto root = SecretKey::Random();
  auto ring = Keyring::Generate();
  ASSERT_TRUE(root.ok() && ring.ok());
  Keyring back = RoundTrip(*ring, *root);
  EXPECT_EQ(back.index_set(), IndexSet::kA);
  EXPECT_EQ(back.pending_index_key(), nullptr);
  EXPECT_TRUE(SameKey(back.index_key(), ring->index_key()));
}

TEST(KeyringIndexChangeTest, PendingKeySurvivesWrapAndFinishSwitchesSets) {
  // Step 1: a pending key, kept through wrapping; the index key stays.
  auto root = SecretKey::Random();
  auto ring = Keyring::Generate();
  ASSERT_TRUE(root.ok() && ring.ok());
  ASSERT_TRUE(ring->BeginIndexKeyChange().ok());
  ASSERT_NE(ring->pending_index_key(), nullptr);
  EXPECT_FALSE(SameKey(*ring->pending_index_key(), ring->index_key()));
  EXPECT_EQ(ring->BeginIndexKeyChange().code(), Code::kInvalidArgument);
  Keyring pending = RoundTrip(*ring, *root);
  ASSERT_NE(pending.pending_index_key(), nullptr);
  EXPECT_TRUE(
      SameKey(*pending.pending_index_key(), *ring->pending_index_key()));
  EXPECT_TRUE(SameKey(pending.index_key(), ring->index_key()));
  EXPECT_EQ(pending.index_set(), IndexSet::kA);

  // Step 2: finishing makes the pending key the index key of set B.
  ASSERT_TRUE(pending.FinishIndexKeyChange().ok());
  EXPECT_EQ(pending.pending_index_key(), nullptr);
  EXPECT_TRUE(SameKey(pending.index_key(), *ring->pending_index_key()));
  EXPECT_EQ(pending.index_set(), IndexSet::kB);
  EXPECT_EQ(pending.FinishIndexKeyChange().code(), Code::kInvalidArgument);
  Keyring switched = RoundTrip(pending, *root);
  EXPECT_EQ(switched.index_set(), IndexSet::kB);
  EXPECT_EQ(switched.pending_index_key(), nullptr);

  // Step 3: a second change goes back to set A; data keys are untouched.
  ASSERT_TRUE(switched.BeginIndexKeyChange().ok());
  ASSERT_TRUE(switched.FinishIndexKeyChange().ok());
  Keyring again = RoundTrip(switched, *root);
  EXPECT_EQ(again.index_set(), IndexSet::kA);
  EXPECT_TRUE(SameKey(again.ActiveDataKey(), ring->ActiveDataKey()));
}

}  // namespace
}  // namespace tks::crypto

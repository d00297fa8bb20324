// Refresh leases (DESIGN §3.4): one process refreshes a token while the
// others wait for its result. A lease is stored beside the record it
// guards, as deadline (8) || holder, and expires on its own.
#include "record_io.h"
#include "store_impl.h"

namespace tks {
namespace {

constexpr size_t kMaxHolderBytes = 256;

Status CheckHolder(std::string_view holder) {
  if (holder.empty() || holder.size() > kMaxHolderBytes) {
    return InvalidArgument("lease holder must be 1 to 256 bytes");
  }
  return Status::Ok();
}

}  // namespace

Status Store::AcquireRefreshLease(std::string_view id, std::string_view holder,
                                  std::chrono::milliseconds ttl) {
  TKS_RETURN_IF_ERROR(CheckHolder(holder));
  if (ttl.count() <= 0) return InvalidArgument("lease ttl must be positive");
  return impl_->Write([&](WriteContext& ctx) {
    // Step 1: the record must exist.
    std::optional<records::Located> found;
    TKS_RETURN_IF_ERROR(records::FindById(ctx.txn, *impl_, id, &found));
    if (!found) return NotFound("no record with id '" + std::string(id) + "'");

    // Step 2: a live lease of another holder blocks.
    const layout::SeqKey key = layout::EncodeSeq(found->seq);
    const uint64_t now = NowMs();
    std::string_view lease;
    bool held = false;
    TKS_RETURN_IF_ERROR(lmdb::Get(ctx.txn, impl_->dbs().leases,
                                  layout::View(key), &lease, &held));
    if (held && lease.size() >= 8 && layout::GetU64(lease.data()) > now &&
        lease.substr(8) != holder) {
      return Status(Code::kLeaseHeld, "the refresh lease of record id '" +
                                          std::string(id) +
                                          "' is held by another holder");
    }

    // Step 3: take or renew it.
    std::string value;
    layout::PutU64(&value, now + static_cast<uint64_t>(ttl.count()));
    value.append(holder);
    ctx.wrote = true;
    return lmdb::Put(ctx.txn, impl_->dbs().leases, layout::View(key), value, 0,
                     "leases");
  });
}

Status Store::ReleaseRefreshLease(std::string_view id,
                                  std::string_view holder) {
  TKS_RETURN_IF_ERROR(CheckHolder(holder));
  return impl_->Write([&](WriteContext& ctx) {
    std::optional<records::Located> found;
    TKS_RETURN_IF_ERROR(records::FindById(ctx.txn, *impl_, id, &found));
    const Status none = NotFound("holder has no refresh lease on record id '" +
                                 std::string(id) + "'");
    if (!found) return none;
    const layout::SeqKey key = layout::EncodeSeq(found->seq);
    std::string_view lease;
    bool held = false;
    TKS_RETURN_IF_ERROR(lmdb::Get(ctx.txn, impl_->dbs().leases,
                                  layout::View(key), &lease, &held));
    if (!held || lease.size() < 8 || lease.substr(8) != holder) return none;
    ctx.wrote = true;
    return lmdb::Del(ctx.txn, impl_->dbs().leases, layout::View(key), &held,
                     "leases");
  });
}

}  // namespace tks

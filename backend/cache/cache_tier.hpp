// The cache tier as the other tiers see it. Dispatchers see DispatchSide, frontends see
// FrontendSide; neither knows which implementation runs (EmbeddedCache in one process, or the
// Redis sides in cache/redis/ across machines).
//
// What crosses it is an EncodedQuote: the canonical JSON bytes the dispatcher encoded once,
// with symbol, seq and ts beside them; no tier decodes a quote to encode it again.
//
// Threading: every method is thread-safe. Quote sinks run on any thread but never with the
// implementation's lock held (the frontend's sink posts each quote to its shards), so a sink
// may take as long as it needs without stalling publishers. Demand and membership watchers
// may run with the lock held: they must be quick and must not call back into the cache (post
// to your own executor instead).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tickwire/encoded_quote.hpp"
#include "tickwire/minute_bars.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::cache {

struct DemandChange {
  std::vector<std::string> added;    // newly demanded symbols
  std::vector<std::string> removed;  // no longer demanded (their linger ran out)
};

// A published quote the cache tier did not store, because it holds one of the symbol with a seq
// at least as high: `held_seq`, of a quote timestamped `held_ts`.
struct Rejection {
  std::string symbol;
  std::uint64_t held_seq = 0;
  std::int64_t held_ts = 0;
};

// Whether the upstream carries a demanded symbol. `reason` is a short code when it does not
// ("upstream_symbol_limit": over the provider plan's symbol limit; "upstream_refused": refused
// for another reason) and empty when it does again. Travels beside quotes, per symbol: no
// quotes of the symbol come while it is unavailable, and the next quote of it means available.
struct SymbolStatus {
  std::string symbol;
  std::string reason;
  bool available() const noexcept { return reason.empty(); }
};

class DispatchSide {
 public:
  virtual ~DispatchSide() = default;
  // Stores the quote as its symbol's latest and fans it out to the frontends that demand it,
  // unless the cache tier holds a newer seq of the symbol (then the quote is rejected).
  virtual void publish(const EncodedQuote& q) = 0;
  // Rejected quotes are reported to `watcher` (on any thread, never with a lock held), so a
  // dispatcher whose numbering fell behind another's can move above it (SequenceMapper).
  // Call before the first publish.
  virtual void watch_rejections(std::function<void(const Rejection&)> watcher) = 0;
  // First call (once the demand is known): `added` holds everything demanded now; then one call
  // per change, in order.
  virtual void watch_demand(std::function<void(const DemandChange&)> watcher) = 0;
  // Live dispatcher ids (rendezvous ownership); called once they are known (embedded: at once;
  // Redis: when it first answered) and on every change. Until then the dispatcher owns nothing.
  virtual void join_dispatchers(const std::string& dispatcher_id,
                                std::function<void(const std::vector<std::string>&)> watcher) = 0;
  virtual void leave_dispatchers(const std::string& dispatcher_id) = 0;
  // A lease that one dispatcher in the whole fleet holds at a time (a provider that allows one
  // connection per account). `watcher(true)` once `holder` has it; `watcher(false)` when it lost
  // it, or can no longer be sure it still has it (the cache tier unreachable for most of a lease
  // period), so two holders never overlap. Until the first call it holds nothing. The holder
  // keeps it while alive; another takes it within a lease period after it dies or releases it.
  // One lease per dispatcher.
  virtual void hold_exclusive(const std::string& name, const std::string& holder,
                              std::function<void(bool held)> watcher) = 0;
  virtual void release_exclusive(const std::string& name) = 0;
  virtual void set_directory(std::shared_ptr<const SymbolDirectory> directory) = 0;
  // Stores the symbol's status (unavailable with a reason, or available again) and sends a change
  // to the frontends that demand the symbol; a frontend that demands it later gets it after the
  // latest quote. Publishing a quote of the symbol clears it (the frontends' hubs clear it on
  // that quote themselves).
  virtual void set_symbol_status(const SymbolStatus& status) = 0;
  // Stores the newest one-minute bars of a symbol this dispatcher publishes (BarRecorder): each
  // replaces the stored bar of its minute. The cache tier keeps MinuteBars' window per symbol,
  // and only while the symbol is demanded (or, across machines, for a day after its last bar).
  virtual void store_bars(const std::string& symbol, std::vector<Bar> bars) = 0;
};

class FrontendSide {
 public:
  using QuoteSink = std::function<void(const EncodedQuote&)>;
  using SymbolStatusSink = std::function<void(const SymbolStatus&)>;
  // Where what the cache tier holds for a frontend's demanded symbols goes: their quotes, and
  // changes of their status (DispatchSide::set_symbol_status). Both run under the same rules.
  struct Sinks {
    QuoteSink quote;
    SymbolStatusSink symbol_status;
  };
  virtual ~FrontendSide() = default;
  virtual void attach_frontend(const std::string& frontend_id, Sinks sinks) = 0;
  // Once it returns, neither the frontend's sink nor its health watcher runs again (the
  // frontend may be destroyed).
  virtual void detach_frontend(const std::string& frontend_id) = 0;
  // After add_demand the sink receives the latest quote held for each symbol (if any) before
  // any later update, so a new stream can start from a snapshot; then the status of each symbol
  // held as unavailable.
  virtual void add_demand(const std::string& frontend_id,
                          const std::vector<std::string>& symbols) = 0;
  // The demand lingers for the configured period before the symbol is released upstream.
  virtual void release_demand(const std::string& frontend_id,
                              const std::vector<std::string>& symbols) = 0;
  // Empty until a dispatcher has loaded it from the upstream feed.
  virtual std::shared_ptr<const SymbolDirectory> directory() const = 0;
  // Whether quotes reach this frontend (false while a shared cache tier is unreachable: what the
  // frontend holds may then be stale). Called with the current state, then on every change.
  virtual void watch_health(const std::string& frontend_id,
                            std::function<void(bool live)> watcher) = 0;
  // The one-minute bars stored for a symbol, ascending, passed to `done` on any thread: empty
  // when none are stored, nullopt when the cache tier cannot be read now.
  using BarsReply = std::function<void(std::optional<std::vector<Bar>>)>;
  virtual void read_bars(const std::string& symbol, BarsReply done) = 0;
};

class CacheTier : public DispatchSide, public FrontendSide {};

}  // namespace tickwire::cache

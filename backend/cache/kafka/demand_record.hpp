// A frontend's demand as it travels on tickwire.demand: one record per (frontend, partition),
// keyed by the frontend's id, holding every symbol of that partition the frontend demands
// (lingering ones included) and how long the record stands (the lease). Each record replaces
// the frontend's previous one of its partition; a frontend that stops renewing lapses by the
// record's timestamp plus its lease; a tombstone (no value) withdraws it at once.
//
//   {"lease_ms":3000,"symbols":["AAPL","MSFT"]}
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickwire::cache::kafka {

struct DemandRecord {
  std::chrono::milliseconds lease{0};
  std::vector<std::string> symbols;
};

std::string encode_demand(const DemandRecord& record);
// nullopt and `why` for anything that is not a demand record with valid symbols (the dispatcher
// counts it and goes on).
std::optional<DemandRecord> decode_demand(std::string_view value, std::string* why);

}  // namespace tickwire::cache::kafka

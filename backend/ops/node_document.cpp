#include "ops/node_document.hpp"

#include <boost/json.hpp>

#include "tickwire/clock.hpp"

namespace tickwire::ops {

std::string node_document(const Registry& metrics, const std::string& id,
                          const std::string& role) {
  boost::json::object values;
  for (const auto& sample : metrics.samples()) values[sample.series] = sample.value;
  return boost::json::serialize(boost::json::object{{"id", id},
                                                    {"role", role},
                                                    {"ts", unix_micros_now()},
                                                    {"metrics", std::move(values)}});
}

}  // namespace tickwire::ops

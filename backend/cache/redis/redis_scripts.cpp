#include "cache/redis/redis_scripts.hpp"

namespace tickwire::cache::redis::scripts {

namespace {
// Shared by the lease scripts: Redis's clock in milliseconds.
#define TW_NOW_MS                      \
  "local t = redis.call('TIME')\n"     \
  "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
}  // namespace

const Script publish_quotes{"publish_quotes", R"lua(
local out = {}
for i = 1, #KEYS do
  local at = (i - 1) * 4
  local new, envelope = ARGV[at + 1], ARGV[at + 2]
  local cur = redis.call('HMGET', KEYS[i], 'seq', 'ts', 'unavailable')
  if cur[1] and (#cur[1] > #new or (#cur[1] == #new and cur[1] >= new)) then
    out[i] = {cur[1], cur[2] or '0'}
  else
    redis.call('HSET', KEYS[i], 'seq', new, 'ts', ARGV[at + 4], 'json', envelope)
    if cur[3] then redis.call('HDEL', KEYS[i], 'unavailable') end
    redis.call('PUBLISH', ARGV[at + 3], envelope)
    out[i] = 1
  end
end
return out
)lua"};

const Script symbol_status{"symbol_status", R"lua(
local cur = redis.call('HGET', KEYS[1], 'unavailable')
if ARGV[1] == '' then
  if not cur then return 0 end
  redis.call('HDEL', KEYS[1], 'unavailable')
else
  if cur == ARGV[1] then return 0 end
  redis.call('HSET', KEYS[1], 'unavailable', ARGV[1])
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
)lua"};

const Script renew_lease{"renew_lease", TW_NOW_MS R"lua(
local ttl = tonumber(ARGV[2])
local prev = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if KEYS[2] ~= '' then redis.call('PEXPIRE', KEYS[2], ttl * 10) end
if (not prev) or tonumber(prev) < now then
  redis.call('PUBLISH', ARGV[3], ARGV[1])
  return 1
end
return 0
)lua"};

// The key expires by itself (PX): a holder that dies stops renewing and the lease lapses.
const Script claim_exclusive{"claim_exclusive", R"lua(
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 2
)lua"};

const Script release_exclusive{"release_exclusive", R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua"};

const Script live_members{"live_members", TW_NOW_MS R"lua(
local gone = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
if gone > 0 then redis.call('PUBLISH', ARGV[1], '') end
return redis.call('ZRANGE', KEYS[1], 0, -1)
)lua"};

const Script demand_union{"demand_union", TW_NOW_MS R"lua(
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
for _, f in ipairs(dead) do redis.call('DEL', ARGV[1] .. f) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
local live = redis.call('ZRANGE', KEYS[1], 0, -1)
if #live == 0 then return {} end
local keys = {}
for i, f in ipairs(live) do keys[i] = ARGV[1] .. f end
return redis.call('SUNION', unpack(keys))
)lua"};

const Script replace_set{"replace_set", R"lua(
redis.call('DEL', KEYS[1])
for i = 1, #ARGV, 1000 do
  redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return #ARGV
)lua"};

const Script report_node{"report_node", TW_NOW_MS R"lua(
local ttl = tonumber(ARGV[3])
redis.call('SET', ARGV[4] .. ARGV[1], ARGV[2], 'PX', ttl)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
return 1
)lua"};

const Script fleet{"fleet", TW_NOW_MS R"lua(
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  local doc = redis.call('GET', ARGV[1] .. id)
  if doc then out[#out + 1] = doc end
end
return out
)lua"};

const Script trim_bars{"trim_bars", R"lua(
local ttl, most = ARGV[1], tonumber(ARGV[2])
for k = 1, #KEYS do
  redis.call('EXPIRE', KEYS[k], ttl)
  if redis.call('HLEN', KEYS[k]) > most then
    local oldest = tonumber(ARGV[k + 2])
    for _, f in ipairs(redis.call('HKEYS', KEYS[k])) do
      if tonumber(f) < oldest then redis.call('HDEL', KEYS[k], f) end
    end
  end
end
return #KEYS
)lua"};

#undef TW_NOW_MS

}  // namespace tickwire::cache::redis::scripts

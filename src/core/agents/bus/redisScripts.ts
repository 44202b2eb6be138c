// The Redis bus's server-side steps, one Lua script per Bus call that changes state. A script runs atomically on
// the server, so a worker killed between "XADD" and "count it" cannot leave the counters, the idempotency map
// and the streams disagreeing, and each call costs one round trip like a bare XADD / XREADGROUP / XACK.

/**
 * publish. KEYS: idem hash, seq counter, stats hash, topic stream, run's stream set, workspace runs zset,
 * role doorbell stream ('' when not a step). ARGV: idempotency key, topic, body JSON, group, maxBacklog,
 * now (ms), run id.
 * Returns {'dup', stored} | {'full'} | {'ok', seq, id}. `stored` is "<seq>\n<id>\n<body>".
 */
export const PUBLISH = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return {'dup', existing} end
local topic = ARGV[2]
local c = redis.call('HMGET', KEYS[3], topic .. '.published', topic .. '.acked', topic .. '.dead')
if tonumber(c[1] or '0') - tonumber(c[2] or '0') - tonumber(c[3] or '0') >= tonumber(ARGV[5]) then return {'full'} end
if redis.call('SADD', KEYS[5], KEYS[4]) == 1 then
  redis.pcall('XGROUP', 'CREATE', KEYS[4], ARGV[4], '0', 'MKSTREAM')
end
local seq = redis.call('INCR', KEYS[2])
local id = redis.call('XADD', KEYS[4], '*', 'seq', seq, 'm', ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], seq .. '\\n' .. id .. '\\n' .. ARGV[3])
redis.call('HINCRBY', KEYS[3], topic .. '.published', 1)
redis.call('ZADD', KEYS[6], tonumber(ARGV[6]), ARGV[7])
if KEYS[7] ~= '' then
  redis.call('XADD', KEYS[7], 'MAXLEN', '~', 1000, '*', 'run', ARGV[7])
end
return {'ok', tostring(seq), id}
`;

/**
 * consume. KEYS: stats hash, dead stream, holders hash, then the topic's streams. ARGV: consumer, max, lease
 * (min idle ms), maxDeliveries, topic, then one group per stream.
 * Expired leases first (XAUTOCLAIM; past maxDeliveries they are dead-lettered instead), then new entries
 * (XREADGROUP '>'). Returns a flat list: stream index, id, seq, body, delivery count, redelivered (0/1), ...
 */
export const CONSUME = `
local consumer = ARGV[1]
local remaining = tonumber(ARGV[2])
local minIdle = tonumber(ARGV[3])
local maxDel = tonumber(ARGV[4])
local topic = ARGV[5]
local out = {}
local function field(fields, name)
  for i = 1, #fields, 2 do if fields[i] == name then return fields[i + 1] end end
  return nil
end
for s = 4, #KEYS do
  local group = ARGV[5 + s - 3]
  local cursor = '0-0'
  while remaining > 0 do
    local r = redis.pcall('XAUTOCLAIM', KEYS[s], group, consumer, minIdle, cursor, 'COUNT', remaining)
    if type(r) ~= 'table' or r.err then break end
    cursor = r[1]
    for _, e in ipairs(r[2]) do
      if type(e) == 'table' and e[1] then
        local id = e[1]
        local p = redis.call('XPENDING', KEYS[s], group, id, id, 1)
        local count = tonumber(p[1][4])
        local previous = redis.call('HGET', KEYS[3], id) or 'an unknown worker'
        if count > maxDel then
          local delivered = count - 1
          redis.call('XADD', KEYS[2], '*', 'id', id, 'topic', topic, 'seq', field(e[2], 'seq'), 'm', field(e[2], 'm'),
            'deliveries', delivered, 'reason', 'lease expired after ' .. delivered .. ' deliveries (last held by ' .. previous .. ')')
          redis.call('XACK', KEYS[s], group, id)
          redis.call('HDEL', KEYS[3], id)
          redis.call('HINCRBY', KEYS[1], topic .. '.dead', 1)
        else
          redis.call('HSET', KEYS[3], id, consumer)
          for _, v in ipairs({s - 3, id, field(e[2], 'seq'), field(e[2], 'm'), count, 1}) do out[#out + 1] = v end
          remaining = remaining - 1
        end
      end
    end
    if cursor == '0-0' then break end
  end
end
for s = 4, #KEYS do
  if remaining <= 0 then break end
  local group = ARGV[5 + s - 3]
  local r = redis.pcall('XREADGROUP', 'GROUP', group, consumer, 'COUNT', remaining, 'STREAMS', KEYS[s], '>')
  if type(r) == 'table' and not r.err then
    for _, e in ipairs(r[1][2]) do
      redis.call('HSET', KEYS[3], e[1], consumer)
      for _, v in ipairs({s - 3, e[1], field(e[2], 'seq'), field(e[2], 'm'), 1, 0}) do out[#out + 1] = v end
      remaining = remaining - 1
    end
  end
end
return out
`;

/**
 * Shared by ack, extend and nack: is this delivery still the current one (same holder, same delivery count)?
 * A worker whose lease moved on to another must not ack or extend what the other one now owns.
 */
const HOLDS = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 then return 0 end
if p[1][2] ~= ARGV[3] or tonumber(p[1][4]) ~= tonumber(ARGV[4]) then return -1 end
`;

/** ack. KEYS: stream, stats, holders. ARGV: group, id, consumer, delivery count, topic. Returns 1 / 0 / -1. */
export const ACK = `${HOLDS}
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[5] .. '.acked', 1)
redis.call('HDEL', KEYS[3], ARGV[2])
return 1
`;

/** extend. KEYS: stream. ARGV: group, id, consumer, delivery count. XCLAIM by the holder resets the idle time. */
export const EXTEND = `${HOLDS}
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'RETRYCOUNT', ARGV[4], 'JUSTID')
return 1
`;

/**
 * nack. KEYS: stream, stats, dead stream, holders. ARGV: group, id, consumer, delivery count, requeue (1/0),
 * maxDeliveries, reason, topic. Requeue marks the entry idle "forever" so the next consume's XAUTOCLAIM takes it
 * at once, in its place; the delivery count is kept and XAUTOCLAIM adds one. Returns 'requeued' / 'dead' / 0 / -1.
 */
export const NACK = `${HOLDS}
local count = tonumber(ARGV[4])
if ARGV[5] == '1' and count < tonumber(ARGV[6]) then
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'IDLE', 1000000000000, 'RETRYCOUNT', count, 'JUSTID')
  return 'requeued'
end
local e = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
local fields = e[1] and e[1][2] or {}
local seq, m = '0', ''
for i = 1, #fields, 2 do
  if fields[i] == 'seq' then seq = fields[i + 1] elseif fields[i] == 'm' then m = fields[i + 1] end
end
redis.call('XADD', KEYS[3], '*', 'id', ARGV[2], 'topic', ARGV[8], 'seq', seq, 'm', m, 'deliveries', count, 'reason', ARGV[7])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[4], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[8] .. '.dead', 1)
return 'dead'
`;

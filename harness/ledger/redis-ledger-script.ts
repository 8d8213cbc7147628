import { createHash } from 'node:crypto';

/**
 * The Lua script that records one chunk of a batch inside Redis and detects repeats there, so
 * no ID is ever read back into Node to find a duplicate.
 *
 * KEYS[1] is the run's set of chunk markers (idempotence); then, per bucket touched, its ID hash
 * `…{k}:h` and its counter hash `…{k}:n`. ARGV: TTL seconds, domain, example cap, chunk marker,
 * number of buckets, then per bucket a count followed by that many (id, owner) pairs.
 *
 * Per bucket `{k}` (a hash tag, so one bucket's keys share a Cluster slot):
 * - `h`: id → `"<owner> <domain>"` for an ID seen once; a JSON state `{domain: [count, owner1,
 *   owner2?]}` once it repeats (two owners per domain are all it takes to be multi-owner).
 * - `n`: counters per domain: `s:` occurrences stored, `d:` distinct, `u:` IDs repeated within,
 *   `x:` IDs also in another domain, `m:` IDs with two or more owners.
 * - `o:<id>`: the owners of a repeated ID (sorted set, score = owner).
 * - `zD`, `zM`, `zu:<d>`, `zx:<d>`, `zm:<d>`: the byte-wise smallest repeated / multi-owner IDs,
 *   capped at the example limit (score 0, so Redis orders members by their bytes).
 * Returns the number of occurrences stored, or -1 when the marker was already recorded.
 */
export const RECORD_SCRIPT = `
local ttl = tonumber(ARGV[1])
local dom = ARGV[2]
local cap = tonumber(ARGV[3])
if redis.call('SADD', KEYS[1], ARGV[4]) == 0 then return -1 end
redis.call('EXPIRE', KEYS[1], ttl)
local function zadd(key, id)
  redis.call('ZADD', key, 0, id)
  redis.call('EXPIRE', key, ttl)
  if redis.call('ZCARD', key) > cap then redis.call('ZREMRANGEBYRANK', key, cap, -1) end
end
local function again(base, h, n, id, o)
  local v = redis.call('HGET', h, id)
  local st
  local okey = base .. 'o:' .. id
  if string.byte(v, 1) ~= 123 then
    local sp = string.find(v, ' ', 1, true)
    local o0 = string.sub(v, 1, sp - 1)
    st = {}
    st[string.sub(v, sp + 1)] = { 1, o0 }
    redis.call('ZADD', okey, tonumber(o0), o0)
    zadd(base .. 'zD', id)
  else
    st = cjson.decode(v)
  end
  redis.call('ZADD', okey, tonumber(o), o)
  redis.call('EXPIRE', okey, ttl)
  local ds = st[dom]
  if ds == nil then
    local others = {}
    for d in pairs(st) do others[#others + 1] = d end
    st[dom] = { 1, o }
    redis.call('HINCRBY', n, 'd:' .. dom, 1)
    redis.call('HINCRBY', n, 'x:' .. dom, 1)
    zadd(base .. 'zx:' .. dom, id)
    if #others == 1 then
      redis.call('HINCRBY', n, 'x:' .. others[1], 1)
      zadd(base .. 'zx:' .. others[1], id)
    end
  else
    ds[1] = ds[1] + 1
    if ds[1] == 2 then
      redis.call('HINCRBY', n, 'u:' .. dom, 1)
      zadd(base .. 'zu:' .. dom, id)
    end
    if ds[3] == nil and ds[2] ~= o then
      ds[3] = o
      redis.call('HINCRBY', n, 'm:' .. dom, 1)
      zadd(base .. 'zm:' .. dom, id)
      zadd(base .. 'zM', id)
    end
  end
  redis.call('HSET', h, id, cjson.encode(st))
end
local nb = tonumber(ARGV[5])
local a = 6
local total = 0
local tail = ' ' .. dom
for j = 1, nb do
  local h = KEYS[2 * j]
  local n = KEYS[2 * j + 1]
  local base = string.sub(h, 1, -2)
  local c = tonumber(ARGV[a])
  local first = a + 1
  local fresh = 0
  local later = {}
  local seen = {}
  local s = 0
  -- One variadic HMGET and HSET per slice (Lua's stack caps unpack): new IDs cost no call of
  -- their own; repeats (found already stored, or earlier in this chunk) go the slow path after.
  while s < c do
    local m = math.min(c - s, 1000)
    local fields = {}
    for i = 1, m do fields[i] = ARGV[first + 2 * (s + i - 1)] end
    local got = redis.call('HMGET', h, unpack(fields))
    local put = {}
    for i = 1, m do
      local id = fields[i]
      local o = ARGV[first + 2 * (s + i - 1) + 1]
      if got[i] == false and not seen[id] then
        seen[id] = true
        put[#put + 1] = id
        put[#put + 1] = o .. tail
      else
        later[#later + 1] = id
        later[#later + 1] = o
      end
    end
    if #put > 0 then
      redis.call('HSET', h, unpack(put))
      fresh = fresh + #put / 2
    end
    s = s + m
  end
  a = first + 2 * c
  for i = 1, #later, 2 do again(base, h, n, later[i], later[i + 1]) end
  redis.call('HINCRBY', n, 's:' .. dom, c)
  if fresh > 0 then redis.call('HINCRBY', n, 'd:' .. dom, fresh) end
  redis.call('EXPIRE', h, ttl)
  redis.call('EXPIRE', n, ttl)
  total = total + c
end
return total
`;

/** SHA-1 of {@link RECORD_SCRIPT}, as EVALSHA wants it. */
export const RECORD_SCRIPT_SHA = createHash('sha1').update(RECORD_SCRIPT).digest('hex');

import { createHash } from 'node:crypto';

/**
 * The Lua script that records repeats the Redis ledger has confirmed, inside Redis. The fast path
 * keeps only fingerprints (HSETNX into buckets); a fingerprint Redis already held comes back to
 * Node, which compares the ID's bytes with the first occurrence's (from its arena) and sends each
 * such event here, with the full ID — full IDs are kept only for these candidates.
 *
 * KEYS: the counters `n` and the cross-shard list `xs` (both under the base, declared so that a
 * Redis Cluster node refuses the call unless it serves their slot). ARGV: TTL seconds, example
 * cap, the run's base `idgate:<run>:{<run>}:`, how many entries to drop from the head of `xs`
 * once the events are recorded (0 but for `idgate verify`, which records cross-shard repeats and
 * drops them from the list in one atomic call, so a verify that dies midway never counts one
 * twice), then per event six values: kind, id, owner, domain, first owner, first domain.
 * Kind `e`: the ID equals the first occurrence of its fingerprint (whose owner and domain are the
 * bucket's, relayed). Kind `c`: it differs (a fingerprint collision): the ID is looked up by its
 * bytes in the collided-ID hash `c`, new there means a new distinct ID, otherwise a repeat of that
 * entry. Kind `q` (cross-shard, from `idgate verify`): the first occurrence was written by another
 * shard, whose rows hold these exact bytes; it is that occurrence (`e`) unless `c` holds the ID,
 * since `c` only ever holds IDs that differ from the first occurrence of their fingerprint.
 *
 * Keys under the base (one hash tag, so one Cluster slot):
 * - `n`: counters per domain: `s:` occurrences stored, `d:` distinct, `u:` IDs repeated within,
 *   `x:` IDs also in another domain, `m:` IDs with two or more owners.
 * - `h`: repeated ID → JSON state `{domain: [count, owner1, owner2?]}` (two owners per domain
 *   are all it takes to be multi-owner).
 * - `c`: collided ID → `"<owner> <domain>"` of its first occurrence.
 * - `o:<id>`: the owners of a repeated ID (sorted set, score = owner).
 * - `zD`, `zM`, `zu:<d>`, `zx:<d>`, `zm:<d>`: the byte-wise smallest repeated / multi-owner IDs,
 *   capped at the example limit (score 0, so Redis orders members by their bytes).
 * Returns the number of events recorded.
 */
export const RECORD_SCRIPT = `
local ttl = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local base = ARGV[3]
local trim = tonumber(ARGV[4])
local n = KEYS[1]
local h = base .. 'h'
local c = base .. 'c'
local function zadd(key, id)
  redis.call('ZADD', key, 0, id)
  redis.call('EXPIRE', key, ttl)
  if redis.call('ZCARD', key) > cap then redis.call('ZREMRANGEBYRANK', key, cap, -1) end
end
local function again(id, o, dom, o0, d0)
  local v = redis.call('HGET', h, id)
  local st
  local okey = base .. 'o:' .. id
  if not v then
    st = {}
    st[d0] = { 1, o0 }
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
  redis.call('EXPIRE', h, ttl)
end
local events = 0
for i = 5, #ARGV, 6 do
  local kind, id, o, dom = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if kind == 'q' then
    if redis.call('HEXISTS', c, id) == 0 then kind = 'e' else kind = 'c' end
  end
  if kind == 'e' then
    again(id, o, dom, ARGV[i + 4], ARGV[i + 5])
  elseif redis.call('HSETNX', c, id, o .. ' ' .. dom) == 1 then
    redis.call('EXPIRE', c, ttl)
    redis.call('HINCRBY', n, 'd:' .. dom, 1)
  else
    local v = redis.call('HGET', c, id)
    local sp = string.find(v, ' ', 1, true)
    again(id, o, dom, string.sub(v, 1, sp - 1), string.sub(v, sp + 1))
  end
  events = events + 1
end
redis.call('EXPIRE', n, ttl)
if trim > 0 then redis.call('LTRIM', KEYS[2], trim, -1) end
return events
`;

/** SHA-1 of {@link RECORD_SCRIPT}, as EVALSHA wants it. */
export const RECORD_SCRIPT_SHA = createHash('sha1').update(RECORD_SCRIPT).digest('hex');

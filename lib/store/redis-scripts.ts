// The Lua scripts of the Redis store. Each touches only keys of one refresh token family, all carrying the
// family's `{hash tag}`, so each runs on one Redis Cluster slot. Redis runs a script atomically: no other
// command sees a half-done rotation, which is what makes "exactly one of N concurrent refreshes wins" hold
// across every app instance sharing the Redis.
//
// Family hash fields: c client id, s sub, sc scope (JSON array), fx family expiry (epoch s, optional),
// cur hash of the live token, ia / ex its issued-at / expiry (epoch s). The hash's TTL is the live token's.

/**
 * Rotates a refresh token (RFC 6749 §6, RFC 9700 §4.14.2).
 * KEYS: 1 family hash, 2 tombstone of the presented token, 3 set of the family's access token hashes.
 * ARGV: 1 presented hash, 2 client id, 3 requested scope (JSON array, or '' for the token's own),
 *       4 new token hash, 5 now (epoch s), 6 ttl (s).
 * Returns {'rotated', c, s, sc, fx|'', ia, ex} | {'reused', access token hashes...} | {'not_found'} |
 *         {'wrong_client'} | {'invalid_scope'}.
 */
export const ROTATE_REFRESH_TOKEN = `
local f = redis.call('HMGET', KEYS[1], 'c', 's', 'sc', 'fx', 'cur')
if not f[1] then return {'not_found'} end
local live = f[5] == ARGV[1]
local tombstone = (not live) and redis.call('EXISTS', KEYS[2]) == 1
if not live and not tombstone then return {'not_found'} end
if f[1] ~= ARGV[2] then return {'wrong_client'} end
if tombstone then
  local revoked = redis.call('SMEMBERS', KEYS[3])
  redis.call('DEL', KEYS[1], KEYS[3])
  local reply = {'reused'}
  for i = 1, #revoked do reply[i + 1] = revoked[i] end
  return reply
end
if ARGV[3] ~= '' then
  local granted = {}
  for _, s in ipairs(cjson.decode(f[3])) do granted[s] = true end
  for _, s in ipairs(cjson.decode(ARGV[3])) do
    if not granted[s] then return {'invalid_scope'} end
  end
end
local now = tonumber(ARGV[5])
local ttl = tonumber(ARGV[6])
if f[4] then
  local left = tonumber(f[4]) - now
  if left < ttl then ttl = left end
end
if ttl <= 0 then return {'not_found'} end
local remaining = redis.call('PTTL', KEYS[1])
if remaining > 0 then redis.call('SET', KEYS[2], '1', 'PX', remaining) end
local ex = tostring(now + ttl)
redis.call('HSET', KEYS[1], 'cur', ARGV[4], 'ia', ARGV[5], 'ex', ex)
redis.call('PEXPIRE', KEYS[1], ttl * 1000)
return {'rotated', f[1], f[2], f[3], f[4] or '', ARGV[5], ex}
`;

/**
 * Starts a family with its first live token, unless the family was revoked (a code replay that raced the
 * code's first exchange): then nothing is saved and 0 is returned.
 * KEYS: 1 family hash, 2 the family's revoked marker. ARGV: 1 c, 2 s, 3 sc, 4 fx or '', 5 cur, 6 ia, 7 ex, 8 ttl (ms).
 */
export const SAVE_REFRESH_TOKEN = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'c', ARGV[1], 's', ARGV[2], 'sc', ARGV[3], 'cur', ARGV[5], 'ia', ARGV[6], 'ex', ARGV[7])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'fx', ARGV[4]) end
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return 1
`;

/**
 * Revokes a family and remembers that for ARGV[1] ms, so tokens saved for it afterwards are refused.
 * KEYS: 1 family hash, 2 set of its access token hashes, 3 revoked marker. ARGV: 1 marker ttl (ms).
 * Returns the access token hashes, for the caller to delete (their keys live in other slots).
 */
export const REVOKE_FAMILY = `
local revoked = redis.call('SMEMBERS', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SET', KEYS[3], '1', 'PX', ARGV[1])
return revoked
`;

/**
 * Remembers an access token hash with its family, keeping the set alive as long as its newest member.
 * Returns 0 when the family was revoked (the caller then deletes the token it just saved).
 * KEYS: 1 set of the family's access token hashes, 2 revoked marker. ARGV: 1 access token hash, 2 ttl (ms).
 */
export const TRACK_FAMILY_ACCESS_TOKEN = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/**
 * Uses an authorization code exactly once (RFC 6749 §4.1.2). The value is a state byte ('0' fresh, '1'
 * used) followed by the record's JSON; a used code is kept ARGV[1] ms so a replay is recognised.
 * KEYS: 1 the code. Returns {'consumed', json} | {'reused', json} | {'unknown'}.
 */
export const CONSUME_AUTHORIZATION_CODE = `
local v = redis.call('GET', KEYS[1])
if not v then return {'unknown'} end
local record = string.sub(v, 2)
if string.sub(v, 1, 1) == '1' then return {'reused', record} end
redis.call('SET', KEYS[1], '1' .. record, 'PX', ARGV[1])
return {'consumed', record}
`;

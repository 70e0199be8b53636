// The Lua scripts of the Redis store. Each touches only keys of one refresh token family, all carrying the
// family's `{hash tag}`, so each runs on one Redis Cluster slot. Redis runs a script atomically: no other
// command sees a half-done rotation, which is what makes "exactly one of N concurrent refreshes wins" hold
// across every app instance sharing the Redis.
//
// Family hash fields: c client id, s sub, sc scope (JSON array), fx family expiry (epoch s, optional),
// cur hash of the live token, ia / ex its issued-at / expiry (epoch s), at the user's auth time (epoch s,
// optional); with a refresh grace window, p the hash of the token cur was rotated from, pt that rotation's
// time (epoch s), pa the opaque access token issued with cur (optional), pj the jti of the JWT access token
// issued with cur and pjx until when (epoch s) it must stay refused once revoked (optional); jk the DPoP key
// thumbprint a public client's family is bound to (optional, RFC 9449 §5); au the resources granted to the
// family (RFC 8707, JSON array, optional). The hash's TTL is the live token's.

/**
 * Rotates a refresh token (RFC 6749 §6, RFC 9700 §4.14.2) and, when KEYS[5] is given, saves the opaque access
 * token issued with the new one, in the same atomic step.
 * A reuse revokes the family as REVOKE_FAMILY does, revoked marker included (ARGV[8] ms, never shortened), so
 * the family's JWTs are refused by the time the answer leaves, with no second command that could be lost.
 * With a grace window (ARGV[7] > 0), the token the live one was rotated from (field p), presented again within
 * ARGV[7] s of that rotation (field pt), re-issues: the live token becomes a tombstone, its access token
 * (field pa) is deleted and its JWT's jti (field pj) revoked until pjx, under the family's hash tag where
 * revokeJwtId(jti, ttl, familyId) keeps it, instead of the family being revoked. A re-issue keeps p and pt,
 * so the window never grows.
 * KEYS: 1 family hash, 2 tombstone of the presented token (its prefix names the other tombstones),
 *       3 set of the family's access token hashes, 4 the family's revoked marker (its prefix names the
 *       family's revoked jti keys), 5 (optional) the new access token's key.
 * ARGV: 1 presented hash, 2 client id, 3 requested scope (JSON array, or '' for the token's own),
 *       4 new token hash, 5 now (epoch s), 6 ttl (s), 7 grace window (s, 0 for none), 8 revoked marker ttl
 *       on reuse (ms), 9 jti of the new JWT access token or '', 10 seconds it must stay refused once revoked
 *       (with 9); with KEYS[5]: 11 new access token hash, 12 its ttl (s), 13 the scopes the client may hold
 *       (JSON array), 14 the family id (for the access token's record) (11-14 are '' without KEYS[5]);
 *       15 the DPoP key thumbprint the request proved or '', 16 the one the new access token is bound to or '';
 *       17 the requested resources (JSON array, or '' for the family's own), each of which must be in field au;
 *       18 the resources the client may hold (JSON array, or '' for no filter): the new access token's
 *       audience keeps only these, and a family left with none of its own is 'invalid_target';
 *       19 '1' to bind a family without field jk to ARGV[15] (a public client's refresh with a proof), else ''.
 * A family bound to a key (field jk) rotates only for ARGV[15] equal to it; else {'wrong_key'}, nothing changed.
 * Returns {'rotated' | 'reissued', c, s, sc, fx|'', ia, ex, at|'', jk|'', au|''} | {'reused'} | {'not_found'} | {'wrong_client'}
 * | {'wrong_key'} | {'invalid_scope'} | {'invalid_target'}.
 * The access token's record is built here as JSON by hand: cjson would encode an empty scope list as {}.
 */
export const ROTATE_REFRESH_TOKEN = `
local f = redis.call('HMGET', KEYS[1], 'c', 's', 'sc', 'fx', 'cur', 'at', 'p', 'pt', 'pa', 'pj', 'pjx', 'jk', 'au')
if not f[1] then return {'not_found'} end
local now = tonumber(ARGV[5])
local grace = tonumber(ARGV[7])
local live = f[5] == ARGV[1]
local again = (not live) and grace > 0 and f[7] == ARGV[1] and f[8] ~= false and now - tonumber(f[8]) <= grace
local tombstone = (not live) and (not again) and redis.call('EXISTS', KEYS[2]) == 1
if not live and not again and not tombstone then return {'not_found'} end
if f[1] ~= ARGV[2] then return {'wrong_client'} end
if f[12] and f[12] ~= ARGV[15] then return {'wrong_key'} end
if tombstone then
  for _, h in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', KEYS[3] .. ':' .. h) end
  redis.call('DEL', KEYS[1], KEYS[3])
  if redis.call('PTTL', KEYS[4]) < tonumber(ARGV[8]) then redis.call('SET', KEYS[4], '1', 'PX', ARGV[8]) end
  return {'reused'}
end
local scope = cjson.decode(f[3])
if ARGV[3] ~= '' then
  local granted = {}
  for _, s in ipairs(scope) do granted[s] = true end
  scope = cjson.decode(ARGV[3])
  for _, s in ipairs(scope) do
    if not granted[s] then return {'invalid_scope'} end
  end
end
local audience = f[13] and cjson.decode(f[13]) or {}
if ARGV[17] and ARGV[17] ~= '' then
  local granted = {}
  for _, r in ipairs(audience) do granted[r] = true end
  audience = cjson.decode(ARGV[17])
  for _, r in ipairs(audience) do
    if not granted[r] then return {'invalid_target'} end
  end
end
if ARGV[18] and ARGV[18] ~= '' then
  local allowed = {}
  for _, r in ipairs(cjson.decode(ARGV[18])) do allowed[r] = true end
  local kept = {}
  for _, r in ipairs(audience) do
    if allowed[r] then kept[#kept + 1] = r end
  end
  if #kept == 0 and f[13] and f[13] ~= '[]' then return {'invalid_target'} end
  audience = kept
end
local ttl = tonumber(ARGV[6])
if f[4] then
  local left = tonumber(f[4]) - now
  if left < ttl then ttl = left end
end
if ttl <= 0 then return {'not_found'} end
local remaining = redis.call('PTTL', KEYS[1])
if again then
  if remaining > 0 then redis.call('SET', string.sub(KEYS[2], 1, #KEYS[2] - #ARGV[1]) .. f[5], '1', 'PX', remaining) end
  if f[9] then
    redis.call('DEL', KEYS[3] .. ':' .. f[9])
    redis.call('SREM', KEYS[3], f[9])
  end
  if f[10] and f[11] then
    local left = (tonumber(f[11]) - now) * 1000
    local jti = string.sub(KEYS[4], 1, #KEYS[4] - 2) .. 'jti:' .. f[10]
    if left > 0 and redis.call('PTTL', jti) < left then redis.call('SET', jti, '1', 'PX', left) end
  end
elseif remaining > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', remaining)
end
local ex = tostring(now + ttl)
redis.call('HSET', KEYS[1], 'cur', ARGV[4], 'ia', ARGV[5], 'ex', ex)
if grace > 0 then
  if not again then redis.call('HSET', KEYS[1], 'p', ARGV[1], 'pt', ARGV[5]) end
  if KEYS[5] then redis.call('HSET', KEYS[1], 'pa', ARGV[11]) elseif f[9] then redis.call('HDEL', KEYS[1], 'pa') end
  if ARGV[9] ~= '' then
    redis.call('HSET', KEYS[1], 'pj', ARGV[9], 'pjx', tostring(now + tonumber(ARGV[10])))
  elseif f[10] then
    redis.call('HDEL', KEYS[1], 'pj', 'pjx')
  end
elseif f[7] then
  redis.call('HDEL', KEYS[1], 'p', 'pt', 'pa', 'pj', 'pjx')
end
redis.call('PEXPIRE', KEYS[1], ttl * 1000)
if KEYS[5] then
  local allowed = {}
  for _, s in ipairs(cjson.decode(ARGV[13])) do allowed[s] = true end
  local kept = {}
  for _, s in ipairs(scope) do
    if allowed[s] then kept[#kept + 1] = cjson.encode(s) end
  end
  local attl = tonumber(ARGV[12])
  local aud = ''
  if #audience > 0 then
    local listed = {}
    for _, r in ipairs(audience) do listed[#listed + 1] = cjson.encode(r) end
    aud = ',"audience":[' .. table.concat(listed, ',') .. ']'
  end
  local record = '{"clientId":' .. cjson.encode(f[1]) .. ',"sub":' .. cjson.encode(f[2]) ..
    ',"scope":[' .. table.concat(kept, ',') .. '],"issuedAt":' .. ARGV[5] ..
    ',"expiresAt":' .. tostring(now + attl) .. ',"familyId":' .. cjson.encode(ARGV[14]) ..
    (ARGV[16] ~= '' and (',"jkt":' .. cjson.encode(ARGV[16])) or '') .. aud .. '}'
  redis.call('SET', KEYS[5], record, 'PX', attl * 1000)
  redis.call('SADD', KEYS[3], ARGV[11])
  if redis.call('PTTL', KEYS[3]) < attl * 1000 then redis.call('PEXPIRE', KEYS[3], attl * 1000) end
end
local jk = f[12]
if (not jk) and ARGV[19] == '1' and ARGV[15] ~= '' then
  jk = ARGV[15]
  redis.call('HSET', KEYS[1], 'jk', jk)
end
return {again and 'reissued' or 'rotated', f[1], f[2], f[3], f[4] or '', ARGV[5], ex, f[6] or '', jk or '', f[13] or ''}
`;

/**
 * Starts a family with its first live token, unless the family was revoked (a code replay that raced the
 * code's first exchange): then nothing is saved and 0 is returned.
 * KEYS: 1 family hash, 2 the family's revoked marker.
 * ARGV: 1 c, 2 s, 3 sc, 4 fx or '', 5 cur, 6 ia, 7 ex, 8 ttl (ms), 9 at or '' (absent from older callers),
 *       10 jk or '', 11 au or '' (absent from older callers).
 */
export const SAVE_REFRESH_TOKEN = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'c', ARGV[1], 's', ARGV[2], 'sc', ARGV[3], 'cur', ARGV[5], 'ia', ARGV[6], 'ex', ARGV[7])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'fx', ARGV[4]) end
if ARGV[9] and ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'at', ARGV[9]) end
if ARGV[10] and ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'jk', ARGV[10]) end
if ARGV[11] and ARGV[11] ~= '' then redis.call('HSET', KEYS[1], 'au', ARGV[11]) end
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return 1
`;

/**
 * Revokes a family with its opaque access tokens (kept under the family's hash tag, so in this slot), and
 * remembers that for ARGV[1] ms, so tokens saved for it afterwards, and its JWT access tokens, are refused.
 * A marker already kept for longer keeps its expiry: a revocation is never shortened.
 * KEYS: 1 family hash, 2 set of its access token hashes, 3 revoked marker. ARGV: 1 marker ttl (ms).
 */
export const REVOKE_FAMILY = `
for _, h in ipairs(redis.call('SMEMBERS', KEYS[2])) do redis.call('DEL', KEYS[2] .. ':' .. h) end
redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[3], '1', 'PX', ARGV[1]) end
return 1
`;

/**
 * Saves an opaque access token of a family and remembers its hash with the family, keeping the set alive as
 * long as its newest member; saves nothing and returns 0 when the family was revoked.
 * KEYS: 1 the token's key, 2 set of the family's access token hashes, 3 revoked marker.
 * ARGV: 1 access token hash, 2 record (JSON), 3 ttl (ms).
 */
export const SAVE_FAMILY_ACCESS_TOKEN = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
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

/**
 * Replaces the key ring when the stored version is the one before the new ring's (compare-and-set), so of
 * several instances rotating at once exactly one write lands.
 * KEYS: 1 the ring's hash (fields v: version, r: the ring as JSON).
 * ARGV: 1 the new version, 2 the new ring (JSON), 3 ttl (ms).
 * Returns 1 when written, 0 when another write came first.
 */
export const SAVE_KEY_RING = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v + 1 ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'r', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/**
 * Gives back one point of a rate limiter's window (`RateLimiter.release`). Only an open window is decremented:
 * rate-limiter-flexible's own reward would create the key below zero once it has expired. A window back at
 * zero is deleted, so reserved-and-returned points leave no key behind.
 * KEYS: 1 the limiter's key. Returns the points left consumed, or nil when no window was open.
 */
export const RELEASE_POINT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local left = redis.call('DECR', KEYS[1])
if left <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
return left
`;

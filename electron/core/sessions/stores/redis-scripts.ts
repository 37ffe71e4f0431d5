/**
 * Lua scripts of the Redis session store: each runs atomically on the server, so a
 * check and the write it guards cannot be split by another station's command.
 *
 * Layout under the installation's prefix P (see redis-session-store.ts):
 *   P s:<hash>    HASH of the session's fields, with a TTL (PEXPIRE)
 *   P u:<userId>  SET of the user's session hashes (listing / ending by user)
 *   P due         ZSET hash -> dueAt (sweeps, counts, ending everything at start)
 * The user set and the due index are not expired with the session key: entries whose
 * key has gone are removed by whoever next reads them (see cleanStale).
 *
 * TTL: the caller passes its own "now" and the idle allowance; the script computes
 * deadline - now from the session's merged fields and hands Redis a RELATIVE expiry
 * (PEXPIRE), so a clock difference between this machine and the Redis server never
 * shortens or lengthens a session. ARGV idle = -1: only the absolute deadline counts.
 */

/** Shared Lua: sets the key's TTL from its fields. */
const EXPIRE = `
local function expire(key, now, idle)
  local f = redis.call('HMGET', key, 'ae', 'la', 'l')
  local deadline = tonumber(f[1])
  if idle >= 0 and f[3] == '0' then deadline = math.min(deadline, tonumber(f[2]) + idle) end
  redis.call('PEXPIRE', key, math.max(1, deadline - now))
end
`;

/** KEYS: session, user set, due. ARGV: hash, now, idle, dueAt, field/value pairs. Returns 1, or 0 when taken. */
export const INSERT_LUA = `${EXPIRE}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
expire(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1`;

/**
 * KEYS: session, due. ARGV: hash, now, idle, dueAt ('' = unchanged), field/value pairs.
 * Returns 0 (and writes nothing) when the session is gone: no resurrection.
 */
export const UPDATE_LUA = `${EXPIRE}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if #ARGV > 4 then redis.call('HSET', KEYS[1], unpack(ARGV, 5)) end
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1]) end
expire(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
return 1`;

/**
 * KEYS: session, due. ARGV: hash, prefix, user id ('' when unknown). Returns 1 when it
 * existed. Cleans both indexes either way: for a key that expired by TTL, the caller's
 * user id (the station's mirror knows it) finds the user set entry to remove.
 */
export const DELETE_LUA = `
local u = redis.call('HGET', KEYS[1], 'u')
redis.call('ZREM', KEYS[2], ARGV[1])
local owner = u or ARGV[3]
if owner and owner ~= '' then redis.call('SREM', ARGV[2] .. 'u:' .. owner, ARGV[1]) end
if not u then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * KEYS: old session, new session, new user set, due. ARGV: old hash, new hash, prefix,
 * now, idle, dueAt, field/value pairs. Returns 1; 0 when the old session is gone
 * (nothing created); -1 when the new hash is taken (nothing changed).
 */
export const ROTATE_LUA = `${EXPIRE}
local u = redis.call('HGET', KEYS[1], 'u')
if not u then return 0 end
if KEYS[1] ~= KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[3] .. 'u:' .. u, ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[2], unpack(ARGV, 7))
expire(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]))
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[2])
return 1`;

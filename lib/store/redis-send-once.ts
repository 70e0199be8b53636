import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from './redis-command-guard';

// The store's invariant: once a request has been answered 503, the command behind it never runs. The
// command guard gives up on a command at its deadline, but it cannot take the command back from ioredis,
// and ioredis holds commands for later in several places, each on by default:
// - autoResendUnfulfilledCommands: commands written to a connection that closed before they were answered
//   are written again once the client reconnects. A refresh that Redis never ran would then run after its
//   client got the 503; the client's retry presents a retired token, which is reuse, and the family is
//   revoked (RFC 9700 §4.14.2).
// - enableOfflineQueue: a command sent while the stream is not writable (a connection being opened, or
//   one that has ended but not yet closed) waits and is written on reconnect. Off on a standalone client:
//   the guard waits for the connection itself, within the deadline, before it sends anything.
// - Cluster retryDelayOnFailover, retryDelayOnClusterDown, retryDelayOnTryAgain, retryDelayOnMoved: a
//   command whose node went away, or that was refused while slots move, is sent again after a delay, which
//   may fall after the deadline.
// These are settings of the client, read by ioredis each time it decides (checked in ioredis 6's
// source), so they are set on the client the app gives the store: `new Redis(url)` works as it is, and a
// command of the store is written once, or fails at once and becomes a 503 the client retries itself.
// Refusing a client with the defaults would refuse every client as written in ioredis' own examples.
//
// A Cluster keeps its offline queue. The guard sends only while the Cluster is ready, so the Cluster's own
// queue never holds the store's commands; but ioredis opens the connection to each node on that node's
// first command and sends through the queue of that connection (it forces it on), and the Cluster's
// setting decides whether commands arriving while it opens may wait there too. Off, every request that
// meets a node connection being opened (each node, at start-up and after a failover) would get a 503.
// Those commands are sent once the connection is up, or fail when it fails (a node that is down refuses
// at once); so they wait at most the node's connectTimeout.
//
// What remains, by nature: a command already written to a connection that stays open runs when Redis
// gets to it (Redis stalled, or slower than the deadline), and on a Cluster the wait for a node connection
// being opened just described. The refresh grace window is the answer to both.

/** The settings `redisStore` puts on a standalone client. */
const STANDALONE_SETTINGS = { autoResendUnfulfilledCommands: false, enableOfflineQueue: false } as const;

/** The settings `redisStore` puts on a Cluster. */
const CLUSTER_SETTINGS = { retryDelayOnFailover: 0, retryDelayOnClusterDown: 0, retryDelayOnTryAgain: 0, retryDelayOnMoved: 0 } as const;

function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/**
 * Makes `client` send every command at most once: no re-send after a reconnect, no offline queue on a
 * standalone client, no delayed Cluster retry (see the comment above for why each). Returns a function that stops applying the
 * settings to Cluster nodes opened later; the settings already made stay.
 */
export function sendCommandsAtMostOnce(client: RedisClient): () => void {
  if (!isCluster(client)) {
    Object.assign(client.options, STANDALONE_SETTINGS);
    return noop;
  }
  Object.assign(client.options, CLUSTER_SETTINGS);
  // A Cluster node's connection is its own Redis client, opened with the Cluster's redisOptions as they
  // were when the Cluster was built, and replaced by a new one when the node goes away. So each node gets
  // the settings, those of today and those the Cluster opens later (before they connect: they are lazy).
  const onNode = (node: Redis): void => {
    node.options.autoResendUnfulfilledCommands = false;
  };
  for (const node of client.nodes('all')) onNode(node);
  client.on('+node', onNode);
  return () => {
    client.off('+node', onNode);
  };
}

function noop(): void {}

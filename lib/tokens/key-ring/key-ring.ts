import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { StoreUnavailableError } from '../../errors/store-unavailable-error';
import type { KeyRingRecord, Store, StoredSigningKey } from '../../store/store';
import { es256Key, type SigningKey, type SigningKeys } from '../signing-keys';
import { nextSwitchAfter, planKeyRing, signingKeyAt, type KeyRingSchedule } from './plan-key-ring';
import { openPrivateKey, sealPrivateKey } from './seal-private-key';

/** How a {@link KeyRing} runs, every default filled in. */
export interface KeyRingSettings extends KeyRingSchedule {
  /** The AES-256-GCM key that seals the private keys in the store (derived from the server's `secret`). */
  readonly sealingKey: Buffer;
  /** Seconds between background reads of the ring: well under `publishAhead`, so each instance knows a key before it signs. */
  readonly refreshEvery: number;
  /** Clock in epoch milliseconds, for tests. */
  readonly now: () => number;
}

/** The ring as this instance last read it: the keys opened, the signer, and when the signer next changes. */
interface Snapshot {
  readonly byKid: ReadonlyMap<string, SigningKey>;
  readonly jwks: { readonly keys: readonly JsonWebKey[] };
  readonly stored: readonly StoredSigningKey[];
  current: SigningKey;
  /** Epoch seconds when `current` must be picked again, or Infinity. */
  switchAt: number;
}

/**
 * The server's signing keys, kept in the store so every instance signs with and publishes the same keys,
 * before and after a restart. Each instance reads the ring once at start-up and then in the background, every
 * `refreshEvery` seconds; that read also rotates the ring when a new key is due, through the store's
 * compare-and-set, so of instances rotating at once one write lands and the others adopt it. A request never
 * waits for the store, except the first ones while the ring is first read.
 */
export class KeyRing implements SigningKeys {
  readonly publishesKeys = true;
  readonly rotates = true;
  private snapshot: Snapshot | undefined;
  private loading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  // A key's KeyObjects are built once, not at every read of the ring.
  private readonly opened = new Map<string, SigningKey>();

  private store: Store | undefined;
  private markStarted: () => void = () => undefined;
  private readonly started = new Promise<void>((resolve) => {
    this.markStarted = resolve;
  });

  constructor(private readonly settings: KeyRingSettings) {}

  /**
   * Reads (or first makes) the ring in `store`, then keeps it fresh in the background until
   * {@link KeyRing.close}. Called once, when the server's store is known.
   */
  start(store: Store): Promise<void> {
    this.store = store;
    const first = this.refresh();
    this.markStarted();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.settings.refreshEvery * 1000);
    this.timer.unref();
    return first;
  }

  whenReady(): Promise<void> | undefined {
    if (this.snapshot !== undefined) return undefined;
    // Before start(), the wait begins with it; after a failed first read, a request asks for another.
    return this.store === undefined ? this.started.then(() => this.whenReady()) : (this.loading ?? this.refresh());
  }

  get current(): SigningKey {
    const snapshot = this.snapshot;
    if (snapshot === undefined) throw new StoreUnavailableError('the signing keys are not loaded yet');
    if (this.nowSeconds() >= snapshot.switchAt) this.pickSigner(snapshot);
    return snapshot.current;
  }

  get(kid: string): SigningKey | undefined {
    return this.snapshot?.byKid.get(kid);
  }

  get jwks(): { readonly keys: readonly JsonWebKey[] } {
    return this.snapshot?.jwks ?? EMPTY_JWKS;
  }

  /** Stops the background reads. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /**
   * One read of the ring, rotating it when due. Concurrent calls share one read. A failed read keeps the ring
   * this instance already has; before the first success, it is what `whenReady` reports.
   */
  refresh(): Promise<void> {
    this.loading ??= this.readAndRotate().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async readAndRotate(): Promise<void> {
    const store = this.store;
    if (store === undefined) throw new StoreUnavailableError('the key ring has no store yet');
    if (this.closed) return;
    let ring = await store.loadKeyRing();
    const now = this.nowSeconds();
    const planned = planKeyRing(ring, now, this.settings, (signsFrom) => this.makeKey(now, signsFrom));
    if (planned !== undefined) {
      const ttl = this.settings.interval * 2 + this.settings.publishAhead + this.settings.retireAfter;
      // Lost the race: another instance wrote this version first, and its ring is the one to use.
      ring = (await store.saveKeyRing(planned, ttl)) ? planned : await store.loadKeyRing();
    }
    if (ring === undefined || ring.keys.length === 0) throw new StoreUnavailableError('the key ring could not be read back from the store');
    this.adopt(ring);
  }

  private adopt(ring: KeyRingRecord): void {
    if (this.snapshot !== undefined && sameKeys(this.snapshot.stored, ring.keys)) return;
    const keys = ring.keys.map((stored) => this.open(stored));
    const snapshot: Snapshot = {
      byKid: new Map(keys.map((k) => [k.kid, k])),
      jwks: Object.freeze({ keys: Object.freeze(keys.map((k) => k.publicJwk as JsonWebKey)) }),
      stored: ring.keys,
      current: keys[0] as SigningKey,
      switchAt: 0,
    };
    this.pickSigner(snapshot);
    for (const kid of this.opened.keys()) if (!snapshot.byKid.has(kid)) this.opened.delete(kid);
    this.snapshot = snapshot;
  }

  private pickSigner(snapshot: Snapshot): void {
    const now = this.nowSeconds();
    const signer = signingKeyAt(snapshot.stored, now) ?? snapshot.stored[0];
    snapshot.current = snapshot.byKid.get((signer as StoredSigningKey).kid) as SigningKey;
    snapshot.switchAt = nextSwitchAfter(snapshot.stored, now) ?? Infinity;
  }

  private open(stored: StoredSigningKey): SigningKey {
    const known = this.opened.get(stored.kid);
    if (known !== undefined) return known;
    const pem = openPrivateKey(stored.sealedPrivateKey, stored.kid, this.settings.sealingKey);
    if (pem === undefined) {
      throw new KeyRingSealError(
        'options.secret does not open the key ring kept in the store: every instance sharing a store needs the same secret',
      );
    }
    const key = es256Key(createPrivateKey(pem));
    if (key.kid !== stored.kid) throw new KeyRingSealError(`the key ring's key "${stored.kid}" does not match its key id`);
    this.opened.set(key.kid, key);
    return key;
  }

  private makeKey(now: number, signsFrom: number): StoredSigningKey {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = es256Key(privateKey);
    this.opened.set(key.kid, key);
    const { kty, crv, x, y } = key.publicJwk as Record<string, string>;
    return {
      kid: key.kid,
      alg: 'ES256',
      publicJwk: { kty: kty as string, crv: crv as string, x: x as string, y: y as string },
      sealedPrivateKey: sealPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, key.kid, this.settings.sealingKey),
      createdAt: now,
      signsFrom,
    };
  }

  private nowSeconds(): number {
    return Math.floor(this.settings.now() / 1000);
  }
}

/**
 * The ring in the store was sealed under another secret (or altered): this instance cannot sign with it.
 * Requests that need a key answer 503 until the instances agree on one secret.
 */
export class KeyRingSealError extends StoreUnavailableError {
  constructor(message: string) {
    super(message, { retryAfterSeconds: 60 });
    this.name = 'KeyRingSealError';
  }
}

const EMPTY_JWKS = Object.freeze({ keys: Object.freeze([]) });

function sameKeys(a: readonly StoredSigningKey[], b: readonly StoredSigningKey[]): boolean {
  return a.length === b.length && a.every((k, i) => k.kid === b[i]?.kid && k.signsFrom === b[i]?.signsFrom && k.publishedUntil === b[i]?.publishedUntil);
}

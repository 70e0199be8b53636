import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** Who is signed in to the demo, as its session cookie says. */
export interface DemoSession {
  username: string;
  /** When they signed in, epoch seconds (the id_token's auth_time). */
  signedInAt: number;
}

const COOKIE = 'demo_session';

/**
 * The demo's own sign-in state: a small HMAC-signed cookie, standing in for whatever session an existing app
 * already has (express-session, a JWT cookie, ...). Keyturn never reads it; the demo's authenticateUser hook does.
 */
export class DemoSessions {
  /** `key`: the cookie's HMAC key, derived from the server's secret so every demo instance reads the others' cookies. */
  constructor(
    private readonly key: Buffer = randomBytes(32),
    private readonly ttlSeconds = 8 * 3600,
  ) {}

  read(req: Request): DemoSession | undefined {
    const value = cookie(req, COOKIE);
    if (value === undefined) return undefined;
    const [payload, mac] = value.split('.');
    if (payload === undefined || mac === undefined) return undefined;
    const expected = this.mac(payload);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as DemoSession;
      if (session.signedInAt + this.ttlSeconds <= Math.floor(Date.now() / 1000)) return undefined;
      return session;
    } catch {
      return undefined;
    }
  }

  start(req: Request, res: Response, username: string): void {
    const payload = Buffer.from(JSON.stringify({ username, signedInAt: Math.floor(Date.now() / 1000) })).toString('base64url');
    // SameSite=Lax: the session must ride along when a client's link brings the browser to /oauth2/authorize.
    res.append('Set-Cookie', `${COOKIE}=${payload}.${this.mac(payload).toString('base64url')}; Path=/; Max-Age=${this.ttlSeconds}; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`);
  }

  end(res: Response): void {
    res.append('Set-Cookie', `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A post-login destination that stays on this site: a path starting with a single "/". Anything else
 * (`//evil.example`, `https://...`, `/\evil`) would make the login page an open redirect.
 */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

// The one set of option checks. Each takes the value and the option's full name as the message should show
// it ("options.accessToken.ttl", "requireBearer: options.timeout"), returns the value when it is absent or
// valid, and throws a TypeError naming the option otherwise.

export function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function nonNegativeInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function positiveNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number`);
  return value;
}

export function nonNegativeNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number`);
  return value;
}

export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`);
  return value;
}

export function optionalFunction<F extends (...args: never[]) => unknown>(value: F | undefined, name: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function`);
  return value;
}

export function optionalObject<T extends object>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw new TypeError(`${name} must be an object`);
  return value;
}

export function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new TypeError(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value as T;
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new TypeError(`${name} is required`);
  return value;
}

/** RFC 7235 §2.1: a realm is a quoted-string; Keyturn writes it unescaped, so no quotes or backslashes. */
export function realm(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/.test(value)) {
    throw new TypeError(`${name} must be printable ASCII without quotes or backslashes`);
  }
  return value;
}

export function absoluteUrl(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    if (typeof value !== 'string') throw new Error();
    new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL`);
  }
  return value;
}

/** One string or a list of them, each non-empty; `undefined` stays `undefined`. */
export function stringList(value: unknown, name: string, { allowEmpty = false } = {}): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || (!allowEmpty && list.length === 0) || list.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`${name} must be a non-empty string or an array of them`);
  }
  return Object.freeze([...(list as string[])]);
}

/** Refuses keys of an option object that are not among `names`, naming the first unknown one. */
export function knownKeys(value: object, names: Readonly<Record<string, true>>, name: string): void {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(names, key)) throw new TypeError(`${name}: unknown option "${key}"`);
  }
}

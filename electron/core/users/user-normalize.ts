/**
 * Normalization of the identifiers people type. Django's rules, made strict:
 * usernames are stored NFKC with the case as typed and compared case-folded
 * (so "Ω" and the Ohm sign "Ω", or "Alice" and "alice", are the same account);
 * an email keeps its local part as typed and gets its domain lowercased.
 */

/** NFKC, then a full-ish case fold (upper then lower catches ß -> ss), then NFKC again. */
export function foldKey(value: string): string {
  return value.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

export function normalizeUsername(username: string): string {
  return username.normalize('NFKC');
}

export function normalizeEmail(email: string): string {
  const e = email.normalize('NFKC');
  const at = e.lastIndexOf('@');
  if (at < 0) return e;
  return e.slice(0, at) + '@' + e.slice(at + 1).toLowerCase();
}

/** Phone numbers lose their formatting ("+1 (555) 010-2030" -> "+15550102030"). */
export function normalizePhone(phone: string): string {
  return phone.normalize('NFKC').replace(/[\s().-]/g, '');
}

/** An identifier containing "@" is always an email: usernames may not contain "@". */
export function identifierKind(identifier: string): 'email' | 'username' {
  return identifier.includes('@') ? 'email' : 'username';
}

/** Code points, not UTF-16 units: "é" x 15 is 15 characters. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

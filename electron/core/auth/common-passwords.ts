import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The shipped blocklist of common passwords (standards.md row 6, Django's
 * CommonPasswordValidator): the `passwords-common` list of @zxcvbn-ts/language-common,
 * about 49,000 lowercase entries ranked by frequency in breach corpora. It ships inside
 * the app, so the check works offline and never sends the password anywhere.
 *
 * Matching is whole-string on the NFKC, trimmed, lowercased password (Django's rule):
 * "Password" and " password " are blocked, "password-for-my-bank" is not.
 *
 * The Set is built on first use and kept for the life of the process (~50k strings).
 */
let commonSet: ReadonlySet<string> | null = null;

function load(): ReadonlySet<string> {
  if (!commonSet) {
    const entries = dictionary['passwords-common'];
    const set = new Set<string>();
    for (const entry of entries) set.add(normalizeForLookup(String(entry)));
    commonSet = set;
  }
  return commonSet;
}

/** The lookup key: NFKC, surrounding white space removed, lowercased. */
export function normalizeForLookup(password: string): string {
  return password.normalize('NFKC').trim().toLowerCase();
}

export function isCommonPassword(password: string): boolean {
  return load().has(normalizeForLookup(password));
}

/** Number of distinct entries in the shipped list (tests assert ≥ 10,000). */
export function commonPasswordCount(): number {
  return load().size;
}

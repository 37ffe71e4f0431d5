import { adjacencyGraphs } from '@zxcvbn-ts/language-common';

/**
 * Repetitive and sequential passwords (NIST SP 800-63B §5.1.1.2 asks verifiers to refuse
 * "repetitive or sequential characters (e.g. 'aaaaaa', '1234abcd')"). A guesser tries
 * these right after the common-password list: "aaaaaaaaaaaa", "abcabcabcabc",
 * "123456789012" and keyboard walks such as "qwertyuiopas" or "1qaz2wsx3edc" pass the
 * length rule and none of the others.
 *
 * The rules look at the whole password (NFKC, case folded), never at a part: a long
 * passphrase that happens to contain "abc" or "qwe" is fine.
 * - repetitive: one unit repeated (period p with at least three repetitions, or p ≤ 4
 *   and at least two), at most two distinct characters, or runs of one character
 *   covering all but ALLOWED_OUTSIDE characters;
 * - sequential: runs of ≥ 3 characters where each is next to the previous one in code
 *   point order (abc, 987, zyx), on a keyboard (qwerty, qwertz, azerty, dvorak, numeric
 *   keypad; the layouts zxcvbn ships) or the same, covering all but ALLOWED_OUTSIDE.
 */

/** Characters a patterned password may have outside its runs ("qwertyuiop" + "as" is still a walk). */
export const ALLOWED_OUTSIDE = 2;
const MIN_RUN = 3;

type Link = (a: string, b: string) => boolean;

/** One layout's adjacency, shifted and unshifted keys alike (lowercased). */
function layoutLink(graph: Record<string, (string | null)[]>): Link {
  const map = new Map<string, Set<string>>();
  for (const [key, neighbours] of Object.entries(graph)) {
    const set = map.get(key.toLowerCase()) ?? new Set<string>();
    for (const n of neighbours) if (n) for (const ch of n.toLowerCase()) set.add(ch);
    map.set(key.toLowerCase(), set);
  }
  return (a, b) => map.get(a)?.has(b) ?? false;
}

const codePoint = (c: string): number => c.codePointAt(0) as number;

/**
 * The relations a run follows throughout: code point order up (abc, 123) or down (zyx,
 * 321), or one keyboard layout. One relation per run: mixing layouts, or sequences with
 * walks, within a run would link most random strings.
 */
const LINKS: readonly Link[] = [
  (a, b) => codePoint(b) - codePoint(a) === 1,
  (a, b) => codePoint(a) - codePoint(b) === 1,
  ...(Object.values(adjacencyGraphs) as Record<string, (string | null)[]>[]).map(layoutLink),
];

function isPeriodic(chars: readonly string[]): boolean {
  const n = chars.length;
  for (let p = 1; p <= n / 2; p++) {
    if (n / p < 3 && p > 4) continue;
    let periodic = true;
    for (let i = p; i < n && periodic; i++) periodic = chars[i] === chars[i - p];
    if (periodic) return true;
  }
  return false;
}

/** Marks in `covered` the characters in runs of ≥ MIN_RUN where `linked(previous, current)` holds throughout. */
function markRuns(chars: readonly string[], linked: Link, covered: boolean[]): void {
  let start = 0;
  for (let i = 1; i <= chars.length; i++) {
    if (i < chars.length && linked(chars[i - 1] as string, chars[i] as string)) continue;
    if (i - start >= MIN_RUN) for (let j = start; j < i; j++) covered[j] = true;
    start = i;
  }
}

function coveredBy(chars: readonly string[], links: readonly Link[]): number {
  const covered = chars.map(() => false);
  for (const link of links) markRuns(chars, link, covered);
  return covered.filter(Boolean).length;
}

const same: Link = (a, b) => a === b;

/** Fold case (so "AbCdEf" is a sequence too), one code point per element. */
function foldedChars(password: string): string[] {
  return [...password.normalize('NFKC').toLowerCase()];
}

export function isRepetitive(password: string): boolean {
  const chars = foldedChars(password);
  if (chars.length < 2) return false;
  if (new Set(chars).size <= 2) return true;
  if (isPeriodic(chars)) return true;
  return coveredBy(chars, [same]) >= chars.length - ALLOWED_OUTSIDE;
}

/** True for a sequence or keyboard walk; false when isRepetitive already says why. */
export function isSequential(password: string): boolean {
  const chars = foldedChars(password);
  if (chars.length < MIN_RUN || isRepetitive(password)) return false;
  return coveredBy(chars, [same, ...LINKS]) >= chars.length - ALLOWED_OUTSIDE;
}

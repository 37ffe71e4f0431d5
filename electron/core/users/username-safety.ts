import confusables from 'unhomoglyph/data.json' with { type: 'json' };
import { foldKey } from './user-normalize';

/**
 * Usernames that cannot be told apart on screen. A profile switcher, the admin console
 * and `manage users` show names side by side: "аdmin" (Cyrillic а) beside "admin", or
 * "admin" followed by an invisible Hangul filler, would let one person pass for another.
 * The rules follow Unicode Technical Standard #39 (Security Mechanisms):
 *
 * - no Default_Ignorable_Code_Point (zero-width characters, U+034F COMBINING GRAPHEME
 *   JOINER, variation selectors, tag characters) and no Hangul fillers (U+115F, U+1160,
 *   U+3164, U+FFA0, which are letters to \p{L} but draw nothing);
 * - at least one letter or digit, and no combining mark at the start (a name made of
 *   marks draws them over whatever is shown before it);
 * - at most MAX_MARKS_PER_BASE nonspacing marks on one base character, and never the same
 *   mark twice in a row (UTS #39 §5.4 "Optional Detection"): 40 stacked accents spill
 *   over the neighbouring rows of a list, and "é" + U+0301 looks like "é";
 * - the "Highly Restrictive" level of UTS #39 §5.2 (see restrictionProblem);
 * - a name whose confusable skeleton (UTS #39 §4) equals another user's is refused by
 *   the repository (usernameSkeleton is stored per user for that lookup).
 */

/** UTS #39 §5.4 suggests refusing more than 4 nonspacing marks in a row. Vietnamese needs 2, Tibetan stacks up to 4. */
export const MAX_MARKS_PER_BASE = 4;

const INVISIBLE_RE = /[\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0]/u;
const INVISIBLE_GLOBAL_RE = new RegExp(INVISIBLE_RE.source, 'gu');
const LETTER_OR_DIGIT_RE = /[\p{L}\p{Nd}]/u;
const MARK_RE = /\p{M}/u;
/** Nonspacing and enclosing marks: the ones drawn on top of their base (gc=Mn, gc=Me). */
const STACKING_MARK_RE = /[\p{Mn}\p{Me}]/u;

/**
 * The Recommended scripts of UAX #31 (Table 7), the ones in UTS #39's General Security
 * Profile. A letter from any other script (historic, Limited Use) is refused: identifiers
 * outside the profile do not qualify for any restriction level below Unrestricted.
 * Common and Inherited characters (digits, . + - _, many marks) fit every script.
 */
const RECOMMENDED_SCRIPTS = [
  'Arab', 'Armn', 'Beng', 'Bopo', 'Cyrl', 'Deva', 'Ethi', 'Geor', 'Grek', 'Gujr', 'Guru',
  'Hang', 'Hani', 'Hebr', 'Hira', 'Kana', 'Khmr', 'Knda', 'Laoo', 'Latn', 'Mlym', 'Mymr',
  'Orya', 'Sinh', 'Taml', 'Telu', 'Thaa', 'Thai', 'Tibt',
] as const;
const SCRIPT_RES = RECOMMENDED_SCRIPTS.map((s) => [s, new RegExp(`\\p{Script_Extensions=${s}}`, 'u')] as const);
const ANY_SCRIPT_RE = /[\p{Script_Extensions=Zyyy}\p{Script_Extensions=Zinh}]/u;

/**
 * UTS #39 §5.2 "Highly Restrictive": one script, or Latin together with the scripts a
 * Japanese, Chinese or Korean name is written in. Chosen over "Moderately Restrictive",
 * which also allows Latin with any other Recommended script but Cyrillic and Greek:
 * Armenian has Latin look-alikes of its own ("օ" o, "ս" u, "ո" n, "հ" h), so Latin +
 * Armenian would reopen the "pаypаl" trick, and a login name mixing Latin with Arabic or
 * Hebrew letters is rare enough not to be worth it. The skeleton check stays the defence
 * against look-alikes within one script ("rn" and "m", "l" and "1").
 */
const HIGHLY_RESTRICTIVE_SETS: readonly ReadonlySet<string>[] = [
  new Set(['Latn', 'Hani', 'Hira', 'Kana', 'Jpan']),
  new Set(['Latn', 'Hani', 'Bopo', 'Hanb']),
  new Set(['Latn', 'Hani', 'Hang', 'Kore']),
];

/** Augmented script set (UTS #39 §5.1) of one code point; null means "every script". */
function augmentedScripts(ch: string): Set<string> | null {
  if (ANY_SCRIPT_RE.test(ch)) return null;
  const set = new Set<string>();
  for (const [name, re] of SCRIPT_RES) if (re.test(ch)) set.add(name);
  if (set.has('Hani')) for (const s of ['Hanb', 'Jpan', 'Kore']) set.add(s);
  if (set.has('Hira') || set.has('Kana')) set.add('Jpan');
  if (set.has('Hang')) set.add('Kore');
  if (set.has('Bopo')) set.add('Hanb');
  return set;
}

function restrictionProblem(name: string): string | null {
  const sets: Set<string>[] = [];
  for (const ch of name) {
    const scripts = augmentedScripts(ch);
    if (scripts === null) continue;
    if (scripts.size === 0) return 'Use letters from a writing system in everyday use (this one is historic or specialised).';
    sets.push(scripts);
  }
  if (sets.length === 0) return null;
  // Single script: the resolved set (intersection of every augmented set) is not empty.
  const resolved = sets.reduce((acc, s) => new Set([...acc].filter((x) => s.has(x))));
  if (resolved.size > 0) return null;
  if (HIGHLY_RESTRICTIVE_SETS.some((allowed) => sets.every((s) => [...s].some((x) => allowed.has(x))))) return null;
  return 'Use letters from one alphabet only (for example not Latin with Cyrillic or Greek): mixed alphabets make look-alike names.';
}

function marksProblem(name: string): string | null {
  const decomposed = name.normalize('NFD');
  if (MARK_RE.test(decomposed.charAt(0))) return 'Start the username with a letter or digit, not an accent or combining mark.';
  let run = 0;
  let previous = '';
  for (const ch of decomposed) {
    if (!STACKING_MARK_RE.test(ch)) {
      run = 0;
      previous = '';
      continue;
    }
    if (ch === previous) return 'Remove the repeated accent: the same mark twice on one letter looks like one.';
    if (++run > MAX_MARKS_PER_BASE) return `Use at most ${MAX_MARKS_PER_BASE} accents or marks on one letter.`;
    previous = ch;
  }
  return null;
}

/**
 * Why `username` (already NFKC) cannot be shown safely, in plain words; null when it
 * can. `asTyped` (before NFKC) only makes the message name the character entered.
 */
export function usernameSafetyProblem(username: string, asTyped: string = username): string | null {
  // The code point as typed: NFKC turns U+3164 into U+1160, which is not what the person entered.
  const invisible = INVISIBLE_RE.exec(asTyped) ?? INVISIBLE_RE.exec(username);
  if (invisible) {
    const code = (invisible[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    return `Remove the invisible character (U+${code}): it would make the name look like another.`;
  }
  if (!LETTER_OR_DIGIT_RE.test(username)) return 'Include at least one letter or digit.';
  return marksProblem(username) ?? restrictionProblem(username);
}

/**
 * confusables.txt as `unhomoglyph` ships it: one source code point -> its prototype. Read
 * into a Map rather than through the package's function, which builds a regular expression
 * of 6,000+ alternatives (compiled on first use: ~12 ms, on the first sign-up after start).
 */
const PROTOTYPES: ReadonlyMap<string, string> = new Map(Object.entries(confusables as Record<string, string>));

/** UTS #39 §4 skeleton: NFD, default-ignorables removed, confusables.txt prototypes, NFD again. */
function skeleton(value: string): string {
  let out = '';
  for (const ch of value.normalize('NFD').replace(INVISIBLE_GLOBAL_RE, '')) out += PROTOTYPES.get(ch) ?? ch;
  return out.normalize('NFD');
}

/**
 * The UTS #39 skeleton of a username after the app's own NFKC + case folding. Two names
 * with the same skeleton look alike ("paypal" / "pаypаl", "rn" / "m", "paypa1" / "PayPal").
 * Prototypes come from Unicode's confusables.txt, as shipped by the `unhomoglyph` package.
 * Not for display: the skeleton of "m" is "rn". When that table is updated, existing rows
 * need a migration that recomputes their stored skeletons.
 */
export function usernameSkeleton(username: string): string {
  return skeleton(foldKey(username));
}

/**
 * The skeleton of the name as it is shown (case as typed), then folded: folding first turns
 * "I" into "i", which confusables.txt keeps apart from "l", so "PayPaI" and "paypal" (or
 * "AdmIn" and "Admln") would slip through usernameSkeleton alone. Both are stored and checked.
 */
export function usernameShownSkeleton(username: string): string {
  return skeleton(foldKey(skeleton(username.normalize('NFKC'))));
}

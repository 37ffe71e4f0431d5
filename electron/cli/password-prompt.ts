import { CliError, PromptCancelledError } from './cli-errors';

/**
 * Password input for `manage`. Never from argv: a command-line argument is visible to
 * every local user in the process list and lands in shell history. Two sources:
 * - stdin is a terminal: two prompts on stderr, echo off (raw mode), nothing of the
 *   password is ever written back, not even asterisks (they give away its length);
 * - stdin is a pipe or file: the first line is the password, the second the
 *   confirmation (`printf '%s\n%s\n' "$pw" "$pw" | manage createsuperuser ...`).
 */

export interface PromptInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface PromptOutput {
  write(text: string): unknown;
}

/** A line longer than this is not a password anyone typed (the policy stops at 1024 code points). */
export const MAX_LINE_CHARS = 65_536;

/**
 * Strict UTF-8 for everything a password is read from. Node's usual decoding turns a
 * byte sequence that is not UTF-8 into U+FFFD: the stored password would then not be
 * what the person typed (or what a script piped), and could never be typed again.
 * Such input is refused instead, as the app refuses lone surrogates. Streaming: a
 * character split across two chunks is kept until its last byte arrives.
 */
export class StrictUtf8Decoder {
  // ignoreBOM: the byte-order mark is handed through; readLines drops a leading one itself.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  write(chunk: Buffer | string): string {
    if (typeof chunk === 'string') return chunk;
    try {
      return this.decoder.decode(chunk, { stream: true });
    } catch {
      throw invalidUtf8();
    }
  }

  /** The end of input: a character left incomplete is invalid too. */
  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw invalidUtf8();
    }
  }
}

function invalidUtf8(): CliError {
  return new CliError('The password input is not valid UTF-8, so it cannot be stored as typed. Nothing was changed.', [
    'Set the terminal (or the program that pipes the password) to UTF-8 and try again.',
  ]);
}

export type EditResult =
  | { status: 'editing' }
  | { status: 'done'; value: string; rest: string }
  | { status: 'cancelled' };

/**
 * Line editing for a hidden prompt in raw mode, where the terminal no longer edits the
 * line for us. Pure (fed chunks of text), so it is tested without a terminal.
 * Enter ends the line (what follows, typed ahead, is handed back as `rest`); Backspace
 * removes a code point; Ctrl-U clears; Ctrl-C, or Ctrl-D on an empty line, cancels;
 * escape sequences (arrow keys) and other control characters are dropped, so they
 * can never end up inside a password.
 */
export class HiddenLineEditor {
  private chars: string[] = [];
  private escape: 'none' | 'esc' | 'sequence' = 'none';

  feed(chunk: string): EditResult {
    const cps = [...chunk];
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i] as string;
      if (this.escape === 'esc') {
        this.escape = ch === '[' || ch === 'O' ? 'sequence' : 'none';
        continue;
      }
      if (this.escape === 'sequence') {
        if (ch >= '@' && ch <= '~') this.escape = 'none';
        continue;
      }
      switch (ch) {
        case '\r':
        case '\n': {
          // "\r\n" (Windows) is one Enter, not an Enter and an empty line.
          const skip = ch === '\r' && cps[i + 1] === '\n' ? 2 : 1;
          return { status: 'done', value: this.chars.join(''), rest: cps.slice(i + skip).join('') };
        }
        case '\u0003':
          return { status: 'cancelled' };
        case '\u0004':
          if (this.chars.length === 0) return { status: 'cancelled' };
          continue;
        case '\u007f':
        case '\b':
          this.chars.pop();
          continue;
        case '\u0015':
          this.chars = [];
          continue;
        case '\u001b':
          this.escape = 'esc';
          continue;
        default:
          if (ch < ' ') continue;
          this.chars.push(ch);
      }
    }
    return { status: 'editing' };
  }
}

/**
 * Reads up to `count` lines (fewer at end of input; a last line without a newline
 * counts), then stops reading. Only the line break is removed ("\n" or "\r\n"):
 * spaces are part of a password. A leading byte-order mark is dropped.
 */
export function readLines(input: NodeJS.ReadableStream, count: number, maxChars = MAX_LINE_CHARS): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const decoder = new StrictUtf8Decoder();
    const lines: string[] = [];
    let buffer = '';
    let settled = false;
    const strip = (line: string): string => {
      const s = line.endsWith('\r') ? line.slice(0, -1) : line;
      return lines.length === 0 ? s.replace(/^\uFEFF/, '') : s;
    };
    const take = (): void => {
      for (let i = buffer.indexOf('\n'); lines.length < count && i >= 0; i = buffer.indexOf('\n')) {
        lines.push(strip(buffer.slice(0, i)));
        buffer = buffer.slice(i + 1);
      }
    };
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      input.pause();
      if (error) reject(error);
      else resolve(lines);
    };
    const onData = (chunk: Buffer | string): void => {
      try {
        buffer += decoder.write(chunk);
      } catch (e) {
        finish(e as Error);
        return;
      }
      take();
      if (lines.length >= count) finish();
      else if (buffer.length > maxChars) finish(new CliError('A line of standard input is too long to be a password.'));
    };
    const onEnd = (): void => {
      try {
        buffer += decoder.end();
      } catch (e) {
        finish(e as Error);
        return;
      }
      take();
      if (lines.length < count && buffer !== '') lines.push(strip(buffer));
      finish();
    };
    const onError = (): void => finish(new CliError('Standard input could not be read.'));
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

/** One hidden line from a terminal; `carry` holds what was typed ahead of the previous Enter. */
async function readHiddenLine(
  input: PromptInput,
  output: PromptOutput,
  prompt: string,
  carry: { rest: string; decoder: StrictUtf8Decoder },
): Promise<string> {
  output.write(prompt);
  const editor = new HiddenLineEditor();
  let result = editor.feed(carry.rest);
  carry.rest = '';
  if (result.status === 'editing') {
    input.setRawMode?.(true);
    try {
      result = await new Promise<EditResult>((resolve, reject) => {
        const stop = (r: EditResult | Error): void => {
          input.removeListener('data', onData);
          input.removeListener('end', onEnd);
          input.pause();
          if (r instanceof Error) reject(r);
          else resolve(r);
        };
        const onData = (chunk: Buffer | string): void => {
          let text: string;
          try {
            text = carry.decoder.write(chunk);
          } catch (e) {
            stop(e as Error);
            return;
          }
          const r = editor.feed(text);
          if (r.status !== 'editing') stop(r);
        };
        const onEnd = (): void => stop({ status: 'cancelled' });
        input.on('data', onData);
        input.on('end', onEnd);
        input.resume();
      });
    } catch (e) {
      output.write('\n');
      throw e;
    } finally {
      // Always give the terminal its echo back, whatever happened.
      input.setRawMode?.(false);
    }
  }
  output.write('\n');
  if (result.status !== 'done') throw new PromptCancelledError();
  carry.rest = result.rest;
  return result.value;
}

export interface PasswordPair {
  password: string;
  confirmation: string;
}

/**
 * The new password and its confirmation, from the terminal (hidden prompts on
 * `prompts.output`) or from the first two lines of piped stdin. The caller compares them.
 */
export async function readPasswordPair(
  input: PromptInput,
  prompts: { output: PromptOutput; first: string; second: string },
): Promise<PasswordPair> {
  if (input.isTTY && typeof input.setRawMode === 'function') {
    // Bytes, not setEncoding('utf8'): that would turn invalid input into U+FFFD unseen.
    const carry = { rest: '', decoder: new StrictUtf8Decoder() };
    const password = await readHiddenLine(input, prompts.output, prompts.first, carry);
    const confirmation = await readHiddenLine(input, prompts.output, prompts.second, carry);
    return { password, confirmation };
  }
  const lines = await readLines(input, 2);
  if (lines.length < 2) {
    throw new CliError('Expected two lines on standard input: the password, then the same password again.', [
      'Passwords are never accepted as command-line arguments.',
    ]);
  }
  return { password: lines[0] as string, confirmation: lines[1] as string };
}

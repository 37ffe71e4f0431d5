import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliError, PromptCancelledError } from '../../../electron/cli/cli-errors';
import { HiddenLineEditor, readLines, readPasswordPair } from '../../../electron/cli/password-prompt';
import { FakeTty, collect } from './fake-tty';

describe('HiddenLineEditor', () => {
  const type = (...chunks: string[]) => {
    const e = new HiddenLineEditor();
    let r = e.feed('');
    for (const c of chunks) r = e.feed(c);
    return r;
  };

  it('ends a line at Enter and hands back what was typed ahead', () => {
    expect(type('abc', 'def\rnext')).toEqual({ status: 'done', value: 'abcdef', rest: 'next' });
    expect(type('pw\r\nmore')).toEqual({ status: 'done', value: 'pw', rest: 'more' });
    expect(type('pw\n')).toEqual({ status: 'done', value: 'pw', rest: '' });
    expect(type('still typing')).toEqual({ status: 'editing' });
  });

  it('keeps spaces and non-ASCII, edits with Backspace and Ctrl-U', () => {
    expect(type('a b é😀\r')).toMatchObject({ value: 'a b é😀' });
    expect(type('abx\u007f\bc\r')).toMatchObject({ value: 'ac' });
    expect(type('😀\u007f\r')).toMatchObject({ value: '' });
    expect(type('wrong\u0015right\r')).toMatchObject({ value: 'right' });
  });

  it('drops escape sequences and control characters', () => {
    expect(type('a\u001b[Ab\u001b[1;5Cc\u001bOPd\u0007\t\r')).toMatchObject({ value: 'abcd' });
    expect(type('a\u001b', '[', 'D', 'b\r')).toMatchObject({ value: 'ab' });
  });

  it('cancels on Ctrl-C, and on Ctrl-D only when the line is empty', () => {
    expect(type('abc\u0003')).toEqual({ status: 'cancelled' });
    expect(type('\u0004')).toEqual({ status: 'cancelled' });
    expect(type('ab\u0004c\r')).toMatchObject({ value: 'abc' });
  });
});

describe('readLines', () => {
  const feed = (chunks: (string | Buffer)[], end = true) => {
    const s = new PassThrough();
    for (const c of chunks) s.write(c);
    if (end) s.end();
    return s;
  };

  it('reads two lines, removing only the line break', async () => {
    expect(await readLines(feed([' pass word \r\n', 'second\n', 'third\n']), 2)).toEqual([' pass word ', 'second']);
  });

  it('counts a last line without a newline, drops a byte-order mark, answers fewer lines at the end', async () => {
    expect(await readLines(feed(['\uFEFFone\ntwo']), 2)).toEqual(['one', 'two']);
    expect(await readLines(feed(['only\n']), 2)).toEqual(['only']);
    expect(await readLines(feed([]), 2)).toEqual([]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('é€\nx\n');
    expect(await readLines(feed([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)]), 2)).toEqual(['é€', 'x']);
  });

  it('stops once it has its lines, without waiting for the end of input', async () => {
    expect(await readLines(feed(['a\nb\n'], false), 2)).toEqual(['a', 'b']);
  });

  it('refuses input that is not UTF-8 instead of turning it into U+FFFD', async () => {
    const bad = [
      Buffer.from([0x70, 0x77, 0xff, 0x0a, 0x70, 0x77, 0xff, 0x0a]), // a byte UTF-8 never uses
      Buffer.from([0xc0, 0xaf, 0x0a, 0xc0, 0xaf, 0x0a]), // overlong "/"
      Buffer.from([0xed, 0xa0, 0x80, 0x0a, 0xed, 0xa0, 0x80, 0x0a]), // a surrogate, encoded
      Buffer.from([0x61, 0x0a, 0x61, 0xe2, 0x82]), // cut off in the middle of "€" at the end
    ];
    for (const bytes of bad) {
      await expect(readLines(feed([bytes]), 2)).rejects.toThrow(/not valid UTF-8/);
    }
    // A real U+FFFD, validly encoded, is just a character.
    expect(await readLines(feed([Buffer.from('a\uFFFDb\nx\n')]), 2)).toEqual(['a\uFFFDb', 'x']);
  });

  it('refuses an endless line', async () => {
    await expect(readLines(feed(['x'.repeat(100)], false), 2, 50)).rejects.toBeInstanceOf(CliError);
  });
});

describe('readPasswordPair', () => {
  it('takes the first two lines of piped input', async () => {
    const s = new PassThrough();
    s.end('pw one\npw two\n');
    const out = collect();
    expect(await readPasswordPair(s, { output: out, first: 'P: ', second: 'A: ' })).toEqual({
      password: 'pw one',
      confirmation: 'pw two',
    });
    expect(out.text).toBe('');
  });

  it('asks for two lines when only one is piped', async () => {
    const s = new PassThrough();
    s.end('lonely\n');
    await expect(readPasswordPair(s, { output: collect(), first: 'P: ', second: 'A: ' })).rejects.toThrow(
      /Expected two lines/,
    );
  });

  it('prompts on a terminal with echo off, restoring the terminal afterwards', async () => {
    const tty = new FakeTty();
    const out = collect();
    const pending = readPasswordPair(tty, { output: out, first: 'Password: ', second: 'Again: ' });
    tty.type('hunter2 is', ' long\r');
    tty.type('hunter2 is long\r');
    expect(await pending).toEqual({ password: 'hunter2 is long', confirmation: 'hunter2 is long' });
    expect(out.text).toBe('Password: \nAgain: \n');
    expect(tty.rawModes).toEqual([true, false, true, false]);
  });

  it('refuses bytes that are not UTF-8 typed at a terminal, and restores the terminal', async () => {
    const tty = new FakeTty();
    const out = collect();
    const pending = readPasswordPair(tty, { output: out, first: 'P: ', second: 'A: ' });
    tty.write(Buffer.from([0x70, 0xe9, 0x0d])); // Latin-1 "pé" then Enter
    await expect(pending).rejects.toThrow(/not valid UTF-8/);
    expect(tty.rawModes).toEqual([true, false]);
    expect(out.text).toBe('P: \n');
  });

  it('decodes a character a terminal delivers in two chunks', async () => {
    const tty = new FakeTty();
    const pending = readPasswordPair(tty, { output: collect(), first: 'P: ', second: 'A: ' });
    const euro = Buffer.from('€');
    tty.write(euro.subarray(0, 1));
    tty.write(Buffer.concat([euro.subarray(1), Buffer.from('\r€\r')]));
    expect(await pending).toEqual({ password: '€', confirmation: '€' });
  });

  it('uses type-ahead for the confirmation and cancels on Ctrl-C (terminal restored)', async () => {
    const tty = new FakeTty();
    const first = readPasswordPair(tty, { output: collect(), first: 'P: ', second: 'A: ' });
    tty.type('one\rone\r');
    expect(await first).toEqual({ password: 'one', confirmation: 'one' });

    const tty2 = new FakeTty();
    const second = readPasswordPair(tty2, { output: collect(), first: 'P: ', second: 'A: ' });
    tty2.type('abc\u0003');
    await expect(second).rejects.toBeInstanceOf(PromptCancelledError);
    expect(tty2.rawModes).toEqual([true, false]);
  });
});

import { PassThrough } from 'node:stream';

/**
 * A terminal for prompt tests: a stream that says it is a TTY and records raw-mode
 * switches (no real terminal in CI). type() delivers keystrokes as a terminal in raw
 * mode would, one chunk per call.
 */
export class FakeTty extends PassThrough {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];

  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }

  type(...chunks: string[]): void {
    for (const c of chunks) this.write(c);
  }
}

/** An output sink that keeps what was written. */
export function collect(): { write(text: string): boolean; readonly text: string } {
  let text = '';
  return {
    write(t: string) {
      text += t;
      return true;
    },
    get text() {
      return text;
    },
  };
}

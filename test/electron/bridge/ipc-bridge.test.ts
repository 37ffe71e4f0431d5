import { afterEach, describe, expect, it } from 'vitest';
import { channels } from '../../../shared/contract';
import { IpcBridge } from '../../../electron/bridge/ipc-bridge';
import { checkSender, originOf } from '../../../electron/bridge/sender-policy';
import { APP_ENTRY_URL } from '../../../electron/window/app-protocol';
import type { Core } from '../../../electron/core/index';
import type { EventListener } from '../../../electron/core/index';
import type { Reply } from '../../../shared/errors';
import { FakeIpcMain, FakeWebContents, topFrame, type FakeFrame } from '../../support/fake-electron';

const APP = 'app://bundle/index.html';

/** A core stand-in that records what reaches it (the bridge's contract with the core). */
class RecordingCore implements Pick<Core, 'dispatch' | 'onEvent' | 'senderClosed'> {
  readonly calls: { senderId: number; channel: string; payload: unknown }[] = [];
  readonly closed: number[] = [];
  readonly listeners = new Set<EventListener>();
  async dispatch(senderId: number, channel: string, payload: unknown): Promise<Reply> {
    this.calls.push({ senderId, channel, payload });
    return { ok: true, data: { echoed: channel } };
  }
  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async senderClosed(senderId: number): Promise<void> {
    this.closed.push(senderId);
  }
  emit(senderId: number, sessionId: string): void {
    for (const l of this.listeners) l(senderId, 'session:ended', { sessionId, handle: 'h', reason: 'logout' });
  }
}

let bridge: IpcBridge | undefined;
afterEach(() => bridge?.dispose());

function setup() {
  const ipcMain = new FakeIpcMain();
  const core = new RecordingCore();
  const warnings: string[] = [];
  bridge = new IpcBridge({
    ipcMain,
    core,
    trustedOrigins: [originOf(APP_ENTRY_URL)],
    log: { warn: (_m, ctx) => warnings.push(String(ctx?.reason)) },
  });
  bridge.start();
  const contents = new FakeWebContents();
  bridge.attach(contents);
  const call = (frame: FakeFrame | null, channel = 'app:info', sender: { id: number } = contents) =>
    ipcMain.invoke(channel, sender, frame, {}) as Promise<Reply>;
  return { ipcMain, core, contents, call, warnings };
}

describe('IpcBridge: registration', () => {
  it('registers exactly the contract channels, each through the wrapper', async () => {
    const { ipcMain, core, contents } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(channels).sort());
    for (const channel of Object.keys(channels)) {
      await ipcMain.invoke(channel, contents, topFrame(APP), { probe: channel });
    }
    // Every channel reached the core with the sender's webContents.id, nothing else did.
    expect(core.calls.map((c) => c.channel).sort()).toEqual(Object.keys(channels).sort());
    expect(new Set(core.calls.map((c) => c.senderId))).toEqual(new Set([contents.id]));
  });

  it('removes its handlers on dispose (a second start would otherwise throw)', () => {
    const { ipcMain } = setup();
    bridge?.dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('IpcBridge: sender checks', () => {
  it('passes the app top frame with webContents.id as senderId and returns the core reply', async () => {
    const { call, core, contents } = setup();
    expect(await call(topFrame(APP))).toEqual({ ok: true, data: { echoed: 'app:info' } });
    expect(core.calls).toEqual([{ senderId: contents.id, channel: 'app:info', payload: {} }]);
  });

  it.each([
    ['a foreign https page', topFrame('https://evil.example/index.html'), 'foreign origin'],
    ['a lookalike host', topFrame('app://bundle.evil/index.html'), 'foreign origin'],
    ['a lookalike with credentials', topFrame('app://bundle@evil/index.html'), 'foreign origin'],
    ['a file: page', topFrame('file:///etc/passwd'), 'foreign origin'],
    ['an http page on the same host name', topFrame('http://bundle/index.html'), 'foreign origin'],
    ['a sub-frame of the app', { url: APP, parent: topFrame(APP), detached: false }, 'sub-frame'],
    ['a detached frame', { url: APP, parent: null, detached: true }, 'detached frame'],
    ['no frame at all', null, 'no sender frame'],
    ['an unparsable URL', topFrame('not a url'), 'unparsable frame URL'],
  ])('refuses %s before the core sees it', async (_name, frame, reason) => {
    const { call, core, warnings } = setup();
    const reply = await call(frame);
    expect(reply).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(core.calls).toEqual([]);
    expect(warnings).toEqual([reason]);
  });

  it('refuses a webContents the app did not create, even showing the app URL', async () => {
    const { call, core } = setup();
    const stranger = new FakeWebContents();
    expect(await call(topFrame(APP), 'app:info', stranger)).toMatchObject({ ok: false });
    expect(core.calls).toEqual([]);
  });

  it('checkSender compares parsed protocol and host, never prefixes', () => {
    const trusted = [originOf(APP)];
    const ev = (url: string) => ({ sender: { id: 1 }, senderFrame: topFrame(url) as never });
    expect(checkSender(ev('app://bundle/x/y.html?q#f'), trusted, () => true)).toEqual({ ok: true, senderId: 1 });
    expect(checkSender(ev('app://bundlex/'), trusted, () => true).ok).toBe(false);
    expect(checkSender(ev('app://bundle:8080/'), trusted, () => true).ok).toBe(false);
  });
});

describe('IpcBridge: events and window lifetime', () => {
  it('forwards core events only to the webContents they name', () => {
    const { core, contents } = setup();
    const other = new FakeWebContents();
    bridge?.attach(other);
    core.emit(other.id, 'S2');
    expect(other.sent).toEqual([{ channel: 'session:ended', payload: { sessionId: 'S2', handle: 'h', reason: 'logout' } }]);
    expect(contents.sent).toEqual([]);
    core.emit(9999, 'S3'); // no such window: dropped
    expect(contents.sent).toEqual([]);
  });

  it('ends the sessions of a destroyed webContents and forgets it', async () => {
    const { core, contents, call } = setup();
    contents.destroy();
    expect(core.closed).toEqual([contents.id]);
    expect(await call(topFrame(APP))).toMatchObject({ ok: false });
    core.emit(contents.id, 'S'); // no send to a destroyed contents
  });

  it('ends the sessions when the renderer process crashes', () => {
    const { core, contents } = setup();
    contents.crash('oom');
    expect(core.closed).toEqual([contents.id]);
  });

  it('ends the sessions on a main-frame reload or navigation after the first load, not before', () => {
    const { core, contents } = setup();
    contents.startNavigation(APP); // the first load
    expect(core.closed).toEqual([]);
    contents.startNavigation(APP, { isSameDocument: true }); // pushState / hash change
    contents.startNavigation('app://bundle/frame.html', { isMainFrame: false }); // a sub-frame
    expect(core.closed).toEqual([]);
    contents.startNavigation(APP); // reload
    expect(core.closed).toEqual([contents.id]);
    contents.startNavigation(APP);
    expect(core.closed).toEqual([contents.id, contents.id]);
  });
});

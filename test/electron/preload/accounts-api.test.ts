import { describe, expect, it } from 'vitest';
import { channels, EVENT_NAMES } from '../../../shared/contract';
import { ACCOUNTS_API_KEY, buildAccountsApi, type PreloadAccountsApi } from '../../../electron/preload/accounts-api';
import { FakeContextBridge, FakeIpcRenderer } from '../../support/fake-electron';

function expose() {
  const ipc = new FakeIpcRenderer();
  const bridge = new FakeContextBridge();
  bridge.exposeInMainWorld(ACCOUNTS_API_KEY, buildAccountsApi(ipc));
  const api = bridge.exposed.get('accounts') as PreloadAccountsApi;
  return { ipc, bridge, api };
}

describe('preload: window.accounts', () => {
  it('exposes exactly window.accounts = { invoke, on }, frozen', () => {
    const { bridge, api } = expose();
    expect([...bridge.exposed.keys()]).toEqual(['accounts']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    // Nothing of ipcRenderer leaks through the object's properties.
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('invokes every contract channel with the payload as the one argument', async () => {
    const { ipc, api } = expose();
    for (const channel of Object.keys(channels)) await api.invoke(channel, { n: 1 });
    expect(ipc.invoked.map((i) => i.channel)).toEqual(Object.keys(channels));
    expect(ipc.invoked.every((i) => i.args.length === 1)).toBe(true);
    ipc.reply = { ok: false, error: { code: 'X', message: 'm' } };
    expect(await api.invoke('app:info', {})).toEqual({ ok: false, error: { code: 'X', message: 'm' } });
  });

  it.each(['nope', 'ELECTRON_BROWSER_WINDOW_ALERT', '__proto__', 'constructor', 'app:info ', ''])(
    'throws on the unknown channel %j without sending anything',
    (channel) => {
      const { ipc, api } = expose();
      expect(() => api.invoke(channel, {})).toThrow(/Unknown channel/);
      expect(ipc.invoked).toEqual([]);
    },
  );

  it('throws on unknown events and non-function listeners', () => {
    const { ipc, api } = expose();
    expect(() => api.on('ipc-message', () => {})).toThrow(/Unknown event/);
    expect(() => api.on('toString', () => {})).toThrow(/Unknown event/);
    expect(() => api.on('session:ended', 'x' as never)).toThrow(/function/);
    expect(ipc.eventNames()).toEqual([]);
  });

  it('gives listeners the payload only, never the IpcRendererEvent, and unsubscribes once', () => {
    const { ipc, api } = expose();
    for (const event of EVENT_NAMES) {
      const got: unknown[][] = [];
      const off = api.on(event, (...args: unknown[]) => got.push(args));
      ipc.emit(event, { sender: ipc, senderId: 0 }, { payload: event });
      expect(got).toEqual([[{ payload: event }]]);
      off();
      off();
      ipc.emit(event, { sender: ipc }, { payload: 'late' });
      expect(got).toHaveLength(1);
      expect(ipc.listenerCount(event)).toBe(0);
    }
  });
});

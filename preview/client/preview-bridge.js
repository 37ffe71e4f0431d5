// The browser preview's stand-in for electron/preload.ts, served same-origin as
// /__preview/bridge.js (the page's CSP forbids inline scripts) and run before the app.
// The server wraps this file and preview-menubar.js in one function with
// `const CHANNELS = [...], EVENTS = [...]` from shared/contract.ts (see bridge-script.ts).
//
// Contract (the preload's): window.accounts = { invoke, on }, frozen; invoke(channel,
// payload) resolves with the core's Reply and throws for a channel the contract does not
// list; on(event, cb) throws for an unknown event, calls cb with the payload only (never
// the transport's message) and returns its unsubscribe. One tab = one WebSocket = one
// senderId; closing or reloading the tab closes the socket and the server ends its sessions.
function createBridge() {
  const channelSet = new Set(CHANNELS);
  const eventSet = new Set(EVENTS);
  const listeners = new Map(EVENTS.map((e) => [e, new Set()]));
  const pending = new Map();
  let nextId = 1;
  let menuListener = null;
  let lastMenu = null;
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__preview/ws`);
  const opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(true), { once: true }));
  const stopped = { ok: false, error: { code: 'INTERNAL', message: 'The preview server stopped. Start it again and reload.' } };

  socket.addEventListener('message', (msg) => {
    let m;
    try {
      m = JSON.parse(String(msg.data));
    } catch {
      return;
    }
    if (m.t === 'reply') {
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      if (resolve) resolve(m.reply);
    } else if (m.t === 'event' && eventSet.has(m.event)) {
      for (const cb of [...listeners.get(m.event)]) {
        try {
          cb(m.payload);
        } catch (e) {
          console.error(e);
        }
      }
    } else if (m.t === 'menu') {
      lastMenu = m.menu;
      if (menuListener) menuListener(lastMenu);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(stopped);
    pending.clear();
  });

  function send(message) {
    return opened.then(() => {
      if (socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    });
  }

  function invoke(channel, payload) {
    if (typeof channel !== 'string' || !channelSet.has(channel)) throw new TypeError(`Unknown channel: ${String(channel).slice(0, 64)}`);
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      send({ t: 'invoke', id, channel, payload }).then((sent) => {
        if (!sent && pending.delete(id)) resolve(stopped);
      });
    });
  }

  function on(event, cb) {
    if (typeof event !== 'string' || !eventSet.has(event)) throw new TypeError(`Unknown event: ${String(event).slice(0, 64)}`);
    if (typeof cb !== 'function') throw new TypeError('listener must be a function');
    const wrapped = (payload) => cb(payload);
    listeners.get(event).add(wrapped);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      listeners.get(event).delete(wrapped);
    };
  }

  return {
    api: Object.freeze({ invoke, on }),
    // For the menubar only (never on window): the server's menu model, and a choice.
    menu: {
      subscribe(fn) {
        menuListener = fn;
        if (lastMenu) fn(lastMenu);
      },
      choose(itemId) {
        void send({ t: 'menu', item: itemId });
      },
    },
  };
}

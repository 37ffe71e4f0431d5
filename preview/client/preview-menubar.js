// The Account menu of the native app, drawn above the page by the browser preview.
// The server builds the items with electron/menu/account-menu-model.ts (the native
// menu's own model) and sends them on every change; a choice goes back to the server,
// which sends the item's `menu:command` to this tab exactly as main does.
// Keyboard: the WAI-ARIA menubar pattern (Enter/Space/ArrowDown open, arrows move,
// Home/End, Escape closes and returns focus) and the items' accelerators page-wide.
function mountMenubar(menu) {
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
  let model = { label: 'Account', items: [] };
  const bar = document.createElement('div');
  bar.className = 'accounts-preview-menubar';
  bar.setAttribute('role', 'menubar');
  bar.setAttribute('aria-label', 'Application menu');
  const trigger = document.createElement('button');
  trigger.type = 'button';
  trigger.setAttribute('role', 'menuitem');
  trigger.setAttribute('aria-haspopup', 'menu');
  trigger.setAttribute('aria-expanded', 'false');
  trigger.id = 'accounts-preview-menu-trigger';
  const list = document.createElement('div');
  list.setAttribute('role', 'menu');
  list.setAttribute('aria-labelledby', trigger.id);
  list.hidden = true;
  const note = document.createElement('span');
  note.className = 'accounts-preview-note';
  note.textContent = 'Browser preview';
  bar.append(trigger, list, note);
  // A landmark around the bar, so every part of the page sits in one (axe: region).
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Browser preview');
  nav.append(bar);

  /** 'CmdOrCtrl+Shift+Q' -> { key: 'q', mod: true, shift: true, text: 'Ctrl+Shift+Q', aria: 'Control+Shift+Q' } */
  function parseAccelerator(acc) {
    const parts = acc.split('+');
    const key = parts.pop();
    const mods = new Set(parts.map((p) => p.toLowerCase()));
    const mod = mods.has('cmdorctrl') || mods.has('commandorcontrol');
    const shift = mods.has('shift');
    const modName = isMac ? 'Meta' : 'Control';
    const text = isMac ? `${shift ? '⇧' : ''}⌘${key}` : `Ctrl+${shift ? 'Shift+' : ''}${key}`;
    const aria = [mod ? modName : null, shift ? 'Shift' : null, key].filter(Boolean).join('+');
    return { key: key.toLowerCase(), mod, shift, text, aria };
  }

  function enabledItems() {
    return [...list.querySelectorAll('[role^="menuitem"]:not([aria-disabled="true"])')];
  }
  function open(focusLast) {
    list.hidden = false;
    trigger.setAttribute('aria-expanded', 'true');
    const items = enabledItems();
    const target = focusLast ? items[items.length - 1] : items[0];
    if (target) target.focus();
  }
  function close(returnFocus) {
    list.hidden = true;
    trigger.setAttribute('aria-expanded', 'false');
    if (returnFocus) trigger.focus();
  }
  function choose(item) {
    if (!item.enabled) return;
    close(false);
    menu.choose(item.id);
  }

  function render() {
    trigger.textContent = model.label;
    list.replaceChildren();
    for (const item of model.items) {
      if (item.kind === 'separator') {
        const sep = document.createElement('div');
        sep.setAttribute('role', 'separator');
        list.append(sep);
        continue;
      }
      const el = document.createElement('div');
      el.tabIndex = -1;
      el.dataset.itemId = item.id;
      el.setAttribute('role', item.kind === 'profile' ? 'menuitemradio' : 'menuitem');
      if (item.kind === 'profile') el.setAttribute('aria-checked', String(item.checked));
      if (!item.enabled) el.setAttribute('aria-disabled', 'true');
      const label = document.createElement('span');
      label.className = 'accounts-preview-label';
      label.textContent = item.label;
      el.append(label);
      if (item.kind === 'profile' && item.sublabel) {
        const sub = document.createElement('span');
        sub.className = 'accounts-preview-sublabel';
        sub.textContent = item.sublabel;
        sub.setAttribute('aria-hidden', 'true');
        el.append(sub);
        el.setAttribute('aria-description', item.sublabel);
      }
      if (item.kind === 'action' && item.accelerator) {
        const acc = parseAccelerator(item.accelerator);
        const kbd = document.createElement('kbd');
        kbd.setAttribute('aria-hidden', 'true');
        kbd.textContent = acc.text;
        el.append(kbd);
        el.setAttribute('aria-keyshortcuts', acc.aria);
      }
      el.addEventListener('click', () => choose(item));
      list.append(el);
    }
  }

  trigger.addEventListener('click', () => (list.hidden ? open(false) : close(true)));
  trigger.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowDown') {
      e.preventDefault();
      open(false);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      open(true);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close(true);
    }
  });
  list.addEventListener('keydown', (e) => {
    const items = enabledItems();
    const i = items.indexOf(document.activeElement);
    const move = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
    if (move !== undefined && items.length > 0) {
      e.preventDefault();
      items[(move + items.length) % items.length].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'Tab') {
      close(false);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const item = model.items.find((it) => it.id === document.activeElement?.dataset?.itemId);
      if (item) choose(item);
    }
  });
  document.addEventListener('pointerdown', (e) => {
    if (!list.hidden && !nav.contains(e.target)) close(false);
  });
  // Accelerators work page-wide, like the native menu's.
  document.addEventListener('keydown', (e) => {
    const mod = isMac ? e.metaKey : e.ctrlKey;
    for (const item of model.items) {
      if (item.kind !== 'action' || !item.accelerator) continue;
      const acc = parseAccelerator(item.accelerator);
      if (acc.mod === mod && acc.shift === e.shiftKey && e.key.toLowerCase() === acc.key) {
        e.preventDefault();
        choose(item);
        return;
      }
    }
  });

  menu.subscribe((next) => {
    const hadFocus = list.contains(document.activeElement);
    model = next;
    render();
    if (hadFocus && !list.hidden) open(false);
  });
  render();
  const attach = () => document.body.prepend(nav);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
}

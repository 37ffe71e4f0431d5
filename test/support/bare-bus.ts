import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private bus that knows no services: nothing can be activated as org.freedesktop.secrets. */
export function bareBus(): { wrapper: string[]; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'keychain-bare-bus-'));
  const config = join(dir, 'session.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`,
  );
  return {
    wrapper: ['dbus-run-session', `--config-file=${config}`, '--'],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

import type { UserRecord } from '../../core/users/user-record';
import { EXIT } from '../cli-errors';
import { manageCommand } from '../data-dir';
import { withCliContext, type Command } from './command';

const PAGE = 500;

/** One row of `users --json`: the AdminUser names, never a hash or anything secret. */
export interface UserListing {
  id: number;
  username: string;
  email: string | null;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  /** UTC epoch ms, or null when the user never signed in. */
  lastLoginAt: number | null;
}

export function toListing(u: UserRecord): UserListing {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    isActive: u.isActive,
    isStaff: u.isStaff,
    isSuperuser: u.isSuperuser,
    lastLoginAt: u.lastLoginAt,
  };
}

/** "2026-01-01 09:00 UTC": one zone for every reader of the table. */
function formatTime(ms: number | null): string {
  if (ms === null) return 'never';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const width = (s: string): number => [...s].length;

/** A plain-text table, columns padded to their widest cell. */
export function formatUserTable(users: readonly UserListing[]): string {
  const header = ['ID', 'USERNAME', 'EMAIL', 'ACTIVE', 'STAFF', 'SUPERUSER', 'LAST LOGIN'];
  const rows = users.map((u) => [
    String(u.id),
    u.username,
    u.email ?? '-',
    yesNo(u.isActive),
    yesNo(u.isStaff),
    yesNo(u.isSuperuser),
    formatTime(u.lastLoginAt),
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] as string))));
  const line = (cells: string[]): string =>
    cells.map((c, i) => c + ' '.repeat((widths[i] as number) - width(c))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export const usersCommand: Command = {
  name: 'users',
  summary: 'List the accounts.',
  synopsis: 'users [--json] [--data-dir DIR]',
  description: [
    'Lists every account: id, username, email, active, staff, superuser and last sign-in.',
    'With --json, prints a JSON array with the same fields (no password hashes).',
  ],
  options: { json: { type: 'boolean' } },
  optionHelp: [['--json', 'print a JSON array instead of a table']],
  positionals: [],

  async run({ values, dataDir, io }) {
    return withCliContext(dataDir, { create: false }, async (ctx) => {
      const all: UserListing[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = ctx.users.list({ offset, limit: PAGE });
        all.push(...page.items.map(toListing));
        if (page.items.length < PAGE) break;
      }
      if (values.json === true) io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      else if (all.length === 0) {
        io.stdout.write(`No users yet. Create one with: ${manageCommand(dataDir, 'createsuperuser', '--username', 'NAME')}\n`);
      }
      else io.stdout.write(formatUserTable(all));
      return EXIT.ok;
    });
  },
};

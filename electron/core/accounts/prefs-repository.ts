import type { Statement } from 'better-sqlite3';
import type { Prefs } from '../../../shared/dto';
import type { Sqlite } from '../db/database';

const DEFAULTS: Prefs = { theme: 'system', locale: 'system' };

/** Per-user appearance preferences (user_prefs); a user without a row has the defaults. */
export class PrefsRepository {
  private readonly getStmt: Statement<[number], Prefs>;
  private readonly upsert: Statement;

  constructor(db: Sqlite) {
    this.getStmt = db.prepare('SELECT theme, locale FROM user_prefs WHERE user_id = ?');
    this.upsert = db.prepare(
      `INSERT INTO user_prefs (user_id, theme, locale) VALUES (@userId, @theme, @locale)
       ON CONFLICT (user_id) DO UPDATE SET theme = excluded.theme, locale = excluded.locale`,
    );
  }

  get(userId: number): Prefs {
    return this.getStmt.get(userId) ?? { ...DEFAULTS };
  }

  set(userId: number, patch: Partial<Prefs>): Prefs {
    const next = { ...this.get(userId), ...patch };
    this.upsert.run({ userId, ...next });
    return next;
  }
}

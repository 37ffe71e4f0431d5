import { describe, expectTypeOf, it } from 'vitest';
import type { PreloadAccountsApi } from '../../electron/preload/accounts-api';
import type { AccountsApi } from '../../renderer/src/accounts-api';

/**
 * The preload exposes what the renderer declares for window.accounts, no more, no
 * less (a type-level check: `npm run typecheck` fails when the two drift apart).
 */
describe('window.accounts shape', () => {
  it('is the same in the preload and the renderer', () => {
    expectTypeOf<PreloadAccountsApi>().toEqualTypeOf<AccountsApi>();
  });
});

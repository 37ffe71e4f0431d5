import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/app/app';
import { createAccountsClient } from '../../../renderer/src/app/accounts-client';
import { FakeAccountsApi } from '../../support/fake-accounts-api';

describe('App boot', () => {
  it('asks app:info first and subscribes to the three events', async () => {
    const api = new FakeAccountsApi();
    render(<App client={createAccountsClient(api)} />);
    await screen.findByRole('main');
    expect(api.log[0]?.channel).toBe('app:info');
    expect(api.listenerCount('session:ended')).toBe(1);
    expect(api.listenerCount('session:locked')).toBe(1);
    expect(api.listenerCount('menu:command')).toBe(1);
  });

  it('says the background service is not answering when app:info fails', async () => {
    const api = new FakeAccountsApi().fail('app:info', 'INTERNAL');
    render(<App client={createAccountsClient(api)} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/isn't responding/);
  });
});

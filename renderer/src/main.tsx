import { createRoot } from 'react-dom/client';
import { getAccountsApi } from './accounts-api';
import { App } from './app/app';
import { createAccountsClient } from './app/accounts-client';
import './styles/tokens.css';
import './styles/base.css';
import './styles/app.css';

/** Boot: the bridge from the preload (or the preview's injected script), then the App. */
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(<App client={createAccountsClient(getAccountsApi())} />);
}

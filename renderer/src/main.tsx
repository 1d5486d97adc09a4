import '@fontsource/noto-sans/vietnamese-400.css';
import '@fontsource/noto-sans/vietnamese-700.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-700.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { translate } from '../i18n/index.ts';
import { createKioskApi } from './api/client.dom.ts';
import { App } from './App.tsx';

const root = createRoot(document.getElementById('root')!);
const api = createKioskApi();

async function boot(attempt = 0): Promise<void> {
  const info = await api.call('app.info', {});
  if (!info.ok) {
    // The core may still be starting (or restarting after a crash): say so, and keep trying.
    root.render(
      <div className="boot-message" role="status">
        {translate('vi', 'app.coreUnreachable')}
      </div>,
    );
    setTimeout(() => void boot(attempt + 1), Math.min(1000 * 2 ** attempt, 10_000));
    return;
  }
  root.render(
    <StrictMode>
      <App api={api} info={info.value} />
    </StrictMode>,
  );
}

void boot();

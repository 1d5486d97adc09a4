import '@fontsource/noto-sans/vietnamese-400.css';
import '@fontsource/noto-sans/vietnamese-700.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-700.css';
import '../src/styles.css';
import './office.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DisplayApp } from './DisplayApp.tsx';

const root = document.getElementById('root')!;
// The server put today's state in the page (readable before this script runs); React takes over.
root.replaceChildren();
createRoot(root).render(
  <StrictMode>
    <DisplayApp office={new URLSearchParams(location.search).get('office') ?? ''} />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { captureTokenFromHash } from './api/client';
import { applyTheme } from './lib/theme';
import { App } from './App';
import './styles.css';

applyTheme();
captureTokenFromHash();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

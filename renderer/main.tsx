import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { captureTokenFromHash } from './api/client';
import { applyTheme } from './lib/theme';
import { App } from './App';
import './styles.css';

// The CSP has no 'unsafe-eval': keep zod from probing for a JIT with Function("").
z.config({ jitless: true });
applyTheme();
captureTokenFromHash();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

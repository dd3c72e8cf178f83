import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';
import { getLang } from './i18n';
import './styles.css';

document.documentElement.lang = getLang();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

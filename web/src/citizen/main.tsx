import { render } from 'preact';
import '../common/styles.css';
import { App } from './app';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);

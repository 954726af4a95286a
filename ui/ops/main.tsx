import './ops.css';
import { render } from 'preact';
import { OpsApp } from './app';

const root = document.getElementById('app');
if (root) render(<OpsApp />, root);

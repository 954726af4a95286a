import './tech.css';
import { render } from 'preact';
import { TechApp } from './app';

const root = document.getElementById('app');
if (root) render(<TechApp />, root);

#!/usr/bin/env node
// The `onewindow` CLI: runs the TypeScript sources through tsx's loader in this same process.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');

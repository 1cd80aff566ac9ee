#!/usr/bin/env node
// Runs the agent from its TypeScript source (npx zhengban-agent ...). Release binaries bundle
// src/main.ts with esbuild instead and never load this file.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');

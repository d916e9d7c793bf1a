#!/usr/bin/env node
// `syncdeck` command line: runs server/cli.ts through tsx, so `npx syncdeck …` works without a build step.
import { fileURLToPath, URL } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig (for the `@/` path alias), wherever the command is run from.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import(new URL('../server/cli.ts', import.meta.url).href);

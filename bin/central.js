#!/usr/bin/env node
// central's command line runs the TypeScript sources through tsx, like kioskctl.
import { register } from 'tsx/esm/api';

register();
process.env.CENTRAL_CLI_ENTRY = '1';
await import('../central/cli.node.ts');

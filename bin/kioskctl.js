#!/usr/bin/env node
// kioskctl runs the TypeScript sources through tsx (no build step on the kiosk).
import { register } from 'tsx/esm/api';

register();
process.env.KIOSKCTL_ENTRY = '1';
await import('../kiosk/cli/kioskctl.node.ts');

// Test-only bootstrap: runs the TypeScript check worker under tsx.
import { register } from 'tsx/esm/api';
register();
await import('../../../src/proof/check/worker.ts');

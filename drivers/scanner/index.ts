/** Pure scanner pieces (types, URI parsing, sim). Node-only transports: `serial.node.ts`, `create.node.ts`. */
export * from './types';
export * from './uri';
export { SimScanner, RendererScanner } from './sim';

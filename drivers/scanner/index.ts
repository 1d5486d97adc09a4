/** Pure scanner pieces (types, URI parsing, sim). Node-only transports: `serial.node.ts`, `create.node.ts`. */
export * from './types.ts';
export * from './uri.ts';
export { SimScanner, RendererScanner } from './sim.ts';

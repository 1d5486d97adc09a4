/** Vite turns `import url from '…?url'` into the bundled asset's URL (vite/client types are not loaded here). */
declare module '*?url' {
  const url: string;
  export default url;
}

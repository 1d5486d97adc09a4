/** The few parts of `http_ece` (RFC 8188/8291, web-push's own dependency) the Web Push test decrypts with. */
declare module 'http_ece' {
  interface Params {
    version: 'aes128gcm';
    /** A node:crypto ECDH holding the subscriber's P-256 key pair. */
    privateKey?: unknown;
    authSecret?: string;
  }
  const ece: { decrypt(buffer: Buffer, params: Params): Buffer };
  export default ece;
}

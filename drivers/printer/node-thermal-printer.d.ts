// The parts of node-thermal-printer 4.6.1 (no bundled types) that the encoder uses.
declare module 'node-thermal-printer' {
  interface ThermalPrinterConfig {
    type: string;
    width?: number;
    interface?: string | object;
    characterSet?: string;
    removeSpecialCharacters?: boolean;
  }
  interface BarcodeSettings {
    hriPos?: number;
    hriFont?: number;
    width?: number;
    height?: number;
  }
  class ThermalPrinter {
    constructor(config: ThermalPrinterConfig);
    initHardware(): void;
    getBuffer(): Buffer | null;
    clear(): void;
    add(buffer: Buffer): void;
    newLine(): void;
    bold(enabled: boolean): void;
    invert(enabled: boolean): void;
    alignLeft(): void;
    alignCenter(): void;
    alignRight(): void;
    setTypeFontA(): void;
    setTypeFontB(): void;
    setTextNormal(): void;
    setTextSize(height: number, width: number): void;
    cut(options?: { verticalTabAmount?: number }): void;
    partialCut(options?: { verticalTabAmount?: number }): void;
    code128(data: string, settings?: BarcodeSettings): void;
    printBarcode(data: string, type: number, settings?: BarcodeSettings): void;
    printImageBuffer(png: Buffer): Promise<Buffer>;
  }
  const PrinterTypes: { EPSON: string; STAR: string; TANCA: string; DARUMA: string; BROTHER: string; CUSTOM: string };
  const ntp: { ThermalPrinter: typeof ThermalPrinter; PrinterTypes: typeof PrinterTypes };
  export default ntp;
  export { ThermalPrinter, PrinterTypes };
}

export declare const SOURCE_FOLDERS: readonly string[];
/** Every import loop under `root` (paths relative to it), as madge reports them. */
export declare function findCycles(root: string, folders?: readonly string[]): Promise<string[][]>;

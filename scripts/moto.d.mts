/** Types of moto.mjs for the TypeScript tests; the JSDoc there is the documentation. */
export declare const MOTO_VERSION: string;
export interface Moto {
  endpoint: string;
  stop: () => Promise<void>;
}
export interface StartOptions {
  log?: (message: string) => void;
  env?: Record<string, string>;
  endpointVariable?: string;
  endpoint?: string;
}
export declare function startMoto(options?: StartOptions): Promise<Moto>;
export declare function resetMoto(endpoint: string): Promise<void>;
export declare function motoEnvironmentDir(): string;

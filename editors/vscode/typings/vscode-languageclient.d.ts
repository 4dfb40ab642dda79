// The part of `vscode-languageclient/node` 9.0 that src/ uses, with the signatures copied from it (see vscode.d.ts
// for why these declarations exist).
declare module "vscode-languageclient/node" {
  export enum TransportKind {
    stdio = 0,
    ipc = 1,
    pipe = 2,
    socket = 3,
  }

  export interface ExecutableOptions {
    cwd?: string;
    env?: any;
    detached?: boolean;
    shell?: boolean;
  }

  export interface Executable {
    command: string;
    transport?: TransportKind;
    args?: string[];
    options?: ExecutableOptions;
  }

  export type ServerOptions = Executable | { run: Executable; debug: Executable };

  export type TextDocumentFilter =
    | { language: string; scheme?: string; pattern?: string }
    | { language?: string; scheme: string; pattern?: string }
    | { language?: string; scheme?: string; pattern: string };

  export type DocumentSelector = (string | TextDocumentFilter)[];

  export interface LanguageClientOptions {
    documentSelector?: DocumentSelector | string[];
    initializationOptions?: any | (() => any);
    outputChannelName?: string;
  }

  export class LanguageClient {
    constructor(
      id: string,
      name: string,
      serverOptions: ServerOptions,
      clientOptions: LanguageClientOptions,
      forceDebug?: boolean,
    );
    start(): Promise<void>;
    stop(timeout?: number): Promise<void>;
  }
}

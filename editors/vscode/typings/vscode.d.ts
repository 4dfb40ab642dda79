// The part of VS Code's API (`@types/vscode` 1.82) that src/ uses, with the signatures copied from it, so that
// `tsc -p tsconfig.ci.json` type-checks the extension where the npm registry is out of reach (CI installs
// TypeScript from Debian). With npm, `npm install && npm run compile` checks against the real package.
declare module "vscode" {
  export class Disposable {
    constructor(callOnDispose: () => any);
    static from(...disposableLikes: { dispose: () => any }[]): Disposable;
    dispose(): any;
  }

  export interface Event<T> {
    (listener: (e: T) => any, thisArgs?: any, disposables?: Disposable[]): Disposable;
  }

  export interface Uri {
    readonly scheme: string;
    readonly fsPath: string;
    toString(skipEncoding?: boolean): string;
  }

  export interface TextDocument {
    readonly uri: Uri;
    readonly languageId: string;
  }

  export interface WorkspaceFolder {
    readonly uri: Uri;
    readonly name: string;
    readonly index: number;
  }

  export type ConfigurationScope = Uri | TextDocument | WorkspaceFolder | { uri?: Uri; languageId: string };

  export interface WorkspaceConfiguration {
    get<T>(section: string): T | undefined;
    get<T>(section: string, defaultValue: T): T;
    has(section: string): boolean;
  }

  export interface ConfigurationChangeEvent {
    affectsConfiguration(section: string, scope?: ConfigurationScope): boolean;
  }

  export interface ExtensionContext {
    readonly subscriptions: { dispose(): any }[];
    readonly extensionPath: string;
  }

  export namespace workspace {
    export function getConfiguration(section?: string, scope?: ConfigurationScope | null): WorkspaceConfiguration;
    export const onDidChangeConfiguration: Event<ConfigurationChangeEvent>;
    export const isTrusted: boolean;
  }

  export namespace commands {
    export function registerCommand(command: string, callback: (...args: any[]) => any, thisArg?: any): Disposable;
  }
}
